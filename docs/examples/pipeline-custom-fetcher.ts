import {
  BodyTokenFetcher,
  HttpClientConfigBuilder,
  InMemoryTokenStorage,
  PipelineContext,
  PipelineTokenProvider,
  TokenFetchPipeline,
  TokenManager,
} from 'nestjs-request-forge';

const appTokenFetcher = new BodyTokenFetcher({
  name: 'app_token',
  baseUrl: 'https://auth.example.com',
  endpoint: '/v1/app/token',
  requestData: {
    grant_type: 'client_credentials',
    client_id: 'my-app',
    client_secret: process.env.APP_SECRET ?? '',
  },
  tokenField: 'access_token',
  expiresInField: 'expires_in',
  ttl: 3_600_000,
});

/** Puts the previous step's token where this API wants it. */
class UserTokenFetcher extends BodyTokenFetcher {
  override buildRequestHeaders(context: PipelineContext): Record<string, string> {
    return {
      'X-App-Token': context.get('app_token').accessToken,
      'X-Request-Source': 'orders-backend',
    };
  }
}

const userTokenFetcher = new UserTokenFetcher({
  name: 'user_token',
  baseUrl: 'https://auth.example.com',
  endpoint: '/v1/user/token',
  requestData: { username: 'user@example.com', password: process.env.USER_PASSWORD ?? '' },
  ttl: 1_800_000,
  dependsOn: ['app_token'],
});

const pipeline = new TokenFetchPipeline({
  steps: [appTokenFetcher, userTokenFetcher],
  storage: new InMemoryTokenStorage(),
  cacheKeyPrefix: 'myapp',
});

const provider = new PipelineTokenProvider(pipeline, {
  serviceName: 'myapp',
  refreshFromStep: 'user_token',
});

export const profileConfig = new HttpClientConfigBuilder()
  .withBaseUrl('https://api.example.com')
  .withTokenAuth(new TokenManager(provider))
  .build();

// Cascading invalidation by hand: drops app_token and user_token (which depends on it).
export const forgetAppToken = () => pipeline.invalidateStep('app_token');
