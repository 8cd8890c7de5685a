import {
  ConditionalAuthRetryStrategy,
  ExponentialAuthRetryStrategy,
  HttpClientConfigBuilder,
  RequestForgeModule,
  SimpleAuthRetryStrategy,
  TokenManager,
} from 'nestjs-request-forge';

interface ApiError {
  error?: string;
}

export function configs(tokens: TokenManager) {
  // After a 401 the refused token is invalidated, then the request is sent again.
  const simple = new HttpClientConfigBuilder()
    .withBaseUrl('https://api.example.com')
    .withTokenAuth(tokens, { authRetryStrategy: new SimpleAuthRetryStrategy({ maxRetries: 1 }) })
    .build();

  const exponential = new HttpClientConfigBuilder()
    .withBaseUrl('https://api.example.com')
    .withTokenAuth(tokens, {
      authRetryStrategy: new ExponentialAuthRetryStrategy({
        maxRetries: 3,
        baseDelay: 500,
        maxDelay: 5_000,
      }),
    })
    .build();

  // Retry only when the API says why: the 401's parsed body decides.
  const conditional = new HttpClientConfigBuilder()
    .withBaseUrl('https://api.example.com')
    .withTokenAuth(tokens, {
      authRetryStrategy: new ConditionalAuthRetryStrategy({
        shouldRetry: (response) =>
          (response.data as ApiError | undefined)?.error === 'token_expired',
      }),
    })
    .build();

  return { simple, exponential, conditional };
}

// Plain options in the module (ConditionalAuthRetryStrategy needs code: pass an instance).
export const ApiModule = RequestForgeModule.forRoot({
  clients: {
    api: {
      baseUrl: 'https://api.example.com',
      auth: {
        type: 'client-credentials',
        tokenUrl: 'https://auth.example.com/oauth/token',
        clientId: 'api-client',
        clientSecret: process.env.API_SECRET ?? '',
      },
      authRetry: { type: 'exponential', maxRetries: 2, baseDelay: 250 },
    },
  },
});
