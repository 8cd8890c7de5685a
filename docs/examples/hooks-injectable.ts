import { Injectable, Module } from '@nestjs/common';
import { AxiosResponse } from 'axios';
import { ForgeHook, HookContext, RequestForgeModule } from 'nestjs-request-forge';

/** Stands in for your metrics library. */
@Injectable()
export class Metrics {
  timing(name: string, ms: number): void {
    console.log(`${name}: ${ms} ms`);
  }
}

/** A hook class: Nest resolves it (and what it injects) from the app's DI. */
@Injectable()
export class MetricsHook implements ForgeHook {
  constructor(private readonly metrics: Metrics) {}

  beforeRequest(_config: unknown, context: HookContext): void {
    context.metadata.startedAt = Date.now(); // returning nothing keeps the config as it is
  }

  afterResponse(response: AxiosResponse, context: HookContext): void {
    const startedAt = context.metadata.startedAt as number;
    this.metrics.timing(`http.${context.clientName}.${response.status}`, Date.now() - startedAt);
  }
}

@Module({
  imports: [
    RequestForgeModule.forRoot({
      clients: {
        billing: { baseUrl: 'https://billing.example.com', hooks: [MetricsHook] },
      },
    }),
  ],
  providers: [Metrics, MetricsHook],
})
export class AppModule {}
