import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { RequestForgeModule } from 'nestjs-request-forge';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Tokens in Redis (every process and pod reads them) and a Redis lock, so N processes that
// find no token make one token request. Both connections close with the app.
@Module({
  imports: [
    CacheModule.register({ isGlobal: true, stores: [createKeyv(redisUrl)] }),
    RequestForgeModule.forRootAsync({
      clients: ['orders'],
      useFactory: () => ({
        clients: {
          orders: {
            baseUrl: 'https://orders.example.com',
            auth: {
              type: 'client-credentials',
              tokenUrl: 'https://auth.example.com/oauth/token',
              clientId: 'orders',
              clientSecret: process.env.ORDERS_SECRET ?? '',
            },
            lock: { type: 'redis', url: redisUrl },
          },
        },
      }),
    }),
  ],
})
export class AppModule {}
