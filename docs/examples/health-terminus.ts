import { Controller, Get, Injectable, Module } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import { ForgeClientRegistry, RequestForgeModule } from 'nestjs-request-forge';

/** Down when a client is down; a degraded client still serves requests, so it counts as up. */
@Injectable()
export class ForgeClientsHealthIndicator {
  constructor(
    private readonly registry: ForgeClientRegistry,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key = 'forge-clients') {
    const session = this.indicator.check(key);
    const clients = this.registry.health();
    const down = Object.keys(clients).filter((name) => clients[name].status === 'down');
    return down.length === 0 ? session.up({ clients }) : session.down({ clients, down });
  }
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly forgeClients: ForgeClientsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.forgeClients.check()]);
  }
}

@Module({
  imports: [
    TerminusModule,
    RequestForgeModule.forRoot({
      clients: {
        billing: {
          baseUrl: 'https://billing.example.com',
          auth: {
            type: 'client-credentials',
            tokenUrl: 'https://auth.example.com/oauth/token',
            clientId: process.env.BILLING_CLIENT_ID ?? '',
            clientSecret: process.env.BILLING_CLIENT_SECRET ?? '',
          },
          circuitBreaker: { failureThreshold: 5, recoveryTimeout: 30_000 },
        },
      },
    }),
  ],
  controllers: [HealthController],
  providers: [ForgeClientsHealthIndicator],
})
export class AppModule {}
