import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RequestForgeModule } from 'nestjs-request-forge';
import { OrdersService } from './orders.service';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    // Tokens live in Redis, shared by every instance of the app.
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        stores: [
          createKeyv(config.get<string>('REDIS_URL') ?? 'redis://127.0.0.1:6379', {
            namespace: config.get<string>('CACHE_NAMESPACE') ?? 'orders-app',
          }),
        ],
      }),
    }),
    RequestForgeModule.forRootAsync({
      clients: ['orders'],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        clients: {
          orders: {
            baseUrl: config.getOrThrow<string>('ORDERS_API_URL'),
            auth: {
              type: 'client-credentials',
              tokenUrl: config.getOrThrow<string>('ORDERS_TOKEN_URL'),
              clientId: config.getOrThrow<string>('ORDERS_CLIENT_ID'),
              clientSecret: config.getOrThrow<string>('ORDERS_CLIENT_SECRET'),
            },
            storage: 'cache',
          },
        },
      }),
    }),
  ],
  providers: [OrdersService],
  exports: [OrdersService],
})
export class AppModule {}
