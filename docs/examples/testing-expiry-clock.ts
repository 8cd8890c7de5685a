import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  TokenManager,
} from 'nestjs-request-forge';
import { FakeProtectedApi, FakeTokenEndpoint, ManualClock } from 'nestjs-request-forge/testing';

describe('a client whose token expires', () => {
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  let endpoint: FakeTokenEndpoint;
  let api: FakeProtectedApi;

  beforeAll(async () => {
    // Tokens live 5 minutes by `clock`: the API refuses them once it has moved past that.
    endpoint = await FakeTokenEndpoint.start({ expiresIn: 300, clock });
    api = await FakeProtectedApi.start(endpoint);
  });

  afterAll(async () => {
    await api.close();
    await endpoint.close();
  });

  it('gets one new token when the API says the old one expired, without waiting 5 minutes', async () => {
    const manager = new TokenManager(
      new ClientCredentialsTokenProvider({
        tokenUrl: endpoint.tokenUrl,
        clientId: 'billing',
        clientSecret: 'billing-s3cret',
        serviceName: 'billing',
      }),
    );
    const client = new ForgeClient(
      new HttpClientConfigBuilder().withBaseUrl(api.url).withTokenAuth(manager).build(),
    );
    await lastValueFrom(client.get('/invoices'));

    clock.advance(300_000);
    await lastValueFrom(client.get('/invoices'));

    expect(endpoint.tokenRequests).toBe(2);
    expect(api.requests.map((r) => r.status)).toEqual([200, 401, 200]);
  });
});
