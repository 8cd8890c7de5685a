import { Injectable, Module } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AxiosResponse } from 'axios';
import { ForgeClient, InjectForgeClient, RequestForgeModule } from 'nestjs-request-forge';

interface Order {
  id: string;
}

@Injectable()
export class OrdersService {
  constructor(@InjectForgeClient('service-a') private readonly serviceA: ForgeClient) {}

  list(): Observable<AxiosResponse<Order[]>> {
    return this.serviceA.get<Order[]>('/orders');
  }
}

@Module({
  imports: [
    RequestForgeModule.forRoot({
      clients: {
        'service-a': { baseUrl: 'https://a.internal', auth: { type: 'bearer', token: 'xyz' } },
        'service-b': {
          baseUrl: 'https://b.internal/api',
          auth: { type: 'api-key', key: 'k', headerName: 'X-Service-Key' },
          excludedPaths: ['/health'],
        },
      },
    }),
  ],
  providers: [OrdersService],
})
export class AppModule {}
