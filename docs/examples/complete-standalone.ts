import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  correlationIdHook,
  ExponentialAuthRetryStrategy,
  ExponentialBackoffRetryStrategy,
  ForgeClient,
  HttpClientConfigBuilder,
  TokenManager,
} from 'nestjs-request-forge';

// A client outside Nest (a script, a worker): OAuth2 tokens, retries, a breaker, logs, hooks.
const tokens = new TokenManager(
  new ClientCredentialsTokenProvider({
    tokenUrl: 'https://auth.example.com/oauth/token',
    clientId: 'nightly-export',
    clientSecret: process.env.EXPORT_CLIENT_SECRET ?? '',
    serviceName: 'warehouse',
  }),
);

const config = new HttpClientConfigBuilder()
  .withBaseUrl('https://warehouse.example.com/api')
  .withTimeout(10_000)
  .withTokenAuth(tokens, {
    excludedPaths: ['/health'],
    authRetryStrategy: new ExponentialAuthRetryStrategy({ maxRetries: 2 }),
  })
  .withRetryStrategy(new ExponentialBackoffRetryStrategy({ maxRetries: 4, baseDelay: 1_000 }))
  .withCircuitBreaker({ failureThreshold: 5, recoveryTimeout: 30_000 })
  .withLogging({ logHeaders: true, sensitiveKeys: ['x-session'] })
  .withHooks(correlationIdHook()) // X-Correlation-ID, the same on every retry of one call
  .withHooks({
    onError: [
      (error, context) =>
        console.warn(`${context.clientName} attempt ${context.attempt}: ${String(error)}`),
    ],
  })
  .build();

export async function exportAll(): Promise<number> {
  const client = new ForgeClient(config);
  const pages = await lastValueFrom(
    client.requestMany(
      [1, 2, 3].map((page) => ({ method: 'GET', url: '/items', params: { page } })),
      { concurrency: 2 },
    ),
  );
  return pages.filter((page) => !(page instanceof Error)).length;
}
