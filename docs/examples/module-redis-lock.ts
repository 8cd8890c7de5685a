import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { RequestForgeModule } from 'nestjs-request-forge';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

@Module({
  imports: [
    // Token storage: every client uses this cache (Redis) without a `storage` option.
    CacheModule.register({ isGlobal: true, stores: [createKeyv(redisUrl)] }),
    RequestForgeModule.forRoot({
      clients: {
        orders: {
          baseUrl: 'https://orders.example.com',
          auth: {
            type: 'client-credentials',
            tokenUrl: 'https://auth.example.com/oauth/token',
            clientId: process.env.ORDERS_CLIENT_ID ?? '',
            clientSecret: process.env.ORDERS_CLIENT_SECRET ?? '',
          },
          // One token request across all processes and pods.
          lock: { type: 'redis', url: redisUrl },
        },
      },
    }),
  ],
})
export class AppModule {}
