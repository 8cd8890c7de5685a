import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Injectable, Logger, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { catchError, map, Observable, of } from 'rxjs';
import {
  correlationIdHook,
  ForgeClient,
  HttpStatusException,
  InjectForgeClient,
  RequestForgeModule,
} from 'nestjs-request-forge';

interface Order {
  id: string;
  total: number;
}

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    @InjectForgeClient('orders') private readonly orders: ForgeClient,
    @InjectForgeClient('stock') private readonly stock: ForgeClient,
  ) {}

  order(id: string): Observable<Order | undefined> {
    return this.orders.get<Order>(`/orders/${encodeURIComponent(id)}`).pipe(
      map((response) => response.data),
      catchError((error: unknown) => {
        if (error instanceof HttpStatusException && error.status === 404) return of(undefined);
        this.logger.warn(`orders failed: ${String(error)}`); // messages never hold a secret
        throw error;
      }),
    );
  }

  inStock(sku: string): Observable<boolean> {
    return this.stock
      .get<{ available: number }>(`/stock/${sku}`)
      .pipe(map((response) => response.data.available > 0));
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        stores: [createKeyv(config.getOrThrow<string>('REDIS_URL'))],
      }),
    }),
    RequestForgeModule.forRootAsync({
      clients: ['orders', 'stock'],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        clients: {
          orders: {
            baseUrl: config.getOrThrow<string>('ORDERS_URL'),
            timeout: 5_000,
            auth: {
              type: 'client-credentials',
              tokenUrl: config.getOrThrow<string>('AUTH_TOKEN_URL'),
              clientId: config.getOrThrow<string>('ORDERS_CLIENT_ID'),
              clientSecret: config.getOrThrow<string>('ORDERS_CLIENT_SECRET'),
              scope: 'orders:read',
            },
            lock: { type: 'redis', url: config.getOrThrow<string>('REDIS_URL') },
            excludedPaths: ['/health'],
            retry: { type: 'exponential', maxRetries: 3, baseDelay: 500 },
            circuitBreaker: { failureThreshold: 5, recoveryTimeout: 30_000 },
            logging: { logHeaders: true },
            hooks: [correlationIdHook()],
          },
          stock: {
            baseUrl: config.getOrThrow<string>('STOCK_URL'),
            auth: { type: 'api-key', key: config.getOrThrow<string>('STOCK_API_KEY') },
          },
        },
      }),
    }),
  ],
  providers: [OrdersService],
})
export class AppModule {}
