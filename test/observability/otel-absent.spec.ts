import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  TokenManager,
} from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { loadOtelApi } from '../../lib/observability/otel-api';
import { ProtectedApi } from '../support/protected-api';

// As in an app that does not have the optional peer installed.
jest.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find module '@opentelemetry/api'");
});

describe('without @opentelemetry/api', () => {
  it('records nothing and fails nothing', async () => {
    const tokens = await FakeTokenEndpoint.start({ clients: { app: 'secret' } });
    const api = await ProtectedApi.start({ validate: async () => ({ active: true }) });
    try {
      const manager = new TokenManager(
        new ClientCredentialsTokenProvider({
          tokenUrl: tokens.tokenUrl,
          clientId: 'app',
          clientSecret: 'secret',
          serviceName: 'plain',
        }),
      );
      const config = new HttpClientConfigBuilder()
        .withBaseUrl(api.baseUrl)
        .withTokenAuth(manager)
        .withRetry({ maxRetries: 1, baseDelay: 1 })
        .withCircuitBreaker({ failureThreshold: 1 })
        .build();
      const client = new ForgeClient(config, undefined, 'plain');

      const responses = await Promise.all([1, 2, 3].map(() => lastValueFrom(client.get('/a'))));

      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await loadOtelApi()).toBeNull();
    } finally {
      await Promise.all([tokens.close(), api.close()]);
    }
  });
});
