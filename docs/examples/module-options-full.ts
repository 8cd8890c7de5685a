import { Module } from '@nestjs/common';
import {
  ConditionalAuthRetryStrategy,
  correlationIdHook,
  InMemoryTokenStorage,
  RequestForgeModule,
  TokenLock,
  TokenManager,
} from 'nestjs-request-forge';

/** e.g. `RedisTokenLock.fromUrl(process.env.REDIS_URL)`; declared here to stay standalone. */
declare const sharedLock: TokenLock;
declare const searchTokens: TokenManager;

@Module({
  imports: [
    RequestForgeModule.forRoot({
      isGlobal: true,
      clients: {
        // Every option, plain data except where noted.
        orders: {
          baseUrl: 'https://orders.example.com/api',
          timeout: 5_000,
          headers: { 'User-Agent': 'orders-backend/1.4' },
          auth: {
            type: 'client-credentials',
            tokenUrl: 'https://auth.example.com/oauth/token',
            clientId: 'orders',
            clientSecret: process.env.ORDERS_SECRET ?? '',
            scope: 'orders:read',
            authMethod: 'header',
          },
          excludedPaths: ['/health'],
          excludedPathPatterns: ['/public/**'],
          storage: 'cache',
          refreshSkew: 30_000,
          lock: sharedLock, // an instance
          retry: { type: 'exponential', maxRetries: 3, baseDelay: 1_000, maxDelay: 30_000 },
          authRetry: { type: 'simple', maxRetries: 1 },
          circuitBreaker: { failureThreshold: 5, recoveryTimeout: 30_000, halfOpenMaxCalls: 1 },
          deadline: 20_000,
          logging: { logHeaders: true, logBody: false, sensitiveKeys: ['x-session'] },
          hooks: [correlationIdHook()],
        },
        // Instances are accepted where plain data is not enough.
        search: {
          baseUrl: 'https://search.example.com',
          auth: searchTokens, // a TokenManager built in code
          authRetry: new ConditionalAuthRetryStrategy({
            shouldRetry: (response) => response.headers['x-token-expired'] === 'true',
          }),
          retry: { type: 'none' },
        },
        // A TokenStorage instance for a client whose provider the module builds.
        reports: {
          baseUrl: 'https://reports.example.com',
          auth: {
            type: 'password',
            tokenUrl: 'https://auth.example.com/oauth/token',
            clientId: 'reports',
            username: 'reporter',
            password: process.env.REPORTS_PASSWORD ?? '',
          },
          storage: new InMemoryTokenStorage(),
        },
      },
    }),
  ],
})
export class AppModule {}
