import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  TokenManager,
} from 'nestjs-request-forge';
import { FakeTokenEndpoint, ManualClock } from 'nestjs-request-forge/testing';

describe('a token manager while the IdP refuses the client', () => {
  let endpoint: FakeTokenEndpoint;

  beforeAll(async () => {
    endpoint = await FakeTokenEndpoint.start({ clients: { billing: 'billing-s3cret' } });
  });

  afterAll(() => endpoint.close());

  it('sends no token request during the failure backoff, and one once the clock passed it', async () => {
    const clock = new ManualClock();
    const tokens = new TokenManager(
      new ClientCredentialsTokenProvider({
        tokenUrl: endpoint.tokenUrl,
        clientId: 'billing',
        clientSecret: 'billing-s3cret',
        serviceName: 'billing',
      }),
      undefined,
      { clock, failureBackoff: { initial: 1_000, max: 30_000 } },
    );
    endpoint.failNext(1, { status: 401, error: 'invalid_client' });

    await expect(tokens.getToken()).rejects.toBeInstanceOf(AuthenticationException);
    await expect(tokens.getToken()).rejects.toMatchObject({ error: 'invalid_client' });
    expect(endpoint.tokenRequests).toBe(1); // the second caller got the last failure at once

    clock.advance(1_000); // no real waiting
    await expect(tokens.getToken()).resolves.toBeDefined();
    expect(endpoint.tokenRequests).toBe(2);
  });
});
