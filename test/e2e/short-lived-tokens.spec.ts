import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  HttpClientConfigBuilder,
  InMemoryTokenStorage,
  TokenManager,
} from '../../lib';
import { createTokenProvider } from '../../lib/tokens/token-provider.factory';
import { runSteadyTraffic } from './concurrency';
import { useOidcAndApi } from '../support/oidc-and-api';

/*
 * Issue 3 asks for 2 s tokens and a 1 s skew. oidc-provider sets `exp` to the whole second
 * (`floor(now) + ttl`) while answering `expires_in: ttl`, so a token can really expire up to 1 s
 * before the client computes. 4 s tokens with a 2 s skew keep the ratio and leave the
 * background refresh (500 ms slow in the second test) 0.5 s to spare before the real expiry.
 */
const TOKEN_TTL_SECONDS = 4;
const REFRESH_SKEW_MS = 2_000;

describe('short-lived tokens through a ForgeClient withTokenAuth (issue 3 must-show 3)', () => {
  const servers = useOidcAndApi({ tokenTtlSeconds: TOKEN_TTL_SECONDS });
  let client: ForgeClient;

  beforeEach(async () => {
    const manager = new TokenManager(
      createTokenProvider('orders', servers.oidc.clientCredentialsAuth()),
      new InMemoryTokenStorage(),
      { refreshSkew: REFRESH_SKEW_MS },
    );
    client = new ForgeClient(
      new HttpClientConfigBuilder().withBaseUrl(servers.api.baseUrl).withTokenAuth(manager).build(),
    );
  });

  /** One call; resolves to its latency in ms. */
  async function timedCall(): Promise<number> {
    const startedAt = Date.now();
    await lastValueFrom(client.get('/orders'));
    return Date.now() - startedAt;
  }

  it('6 s of traffic across several token lifetimes: the API never sees an expired token', async () => {
    const { values, errors } = await runSteadyTraffic(6_000, 50, timedCall);

    expect(errors).toEqual([]);
    // The API refuses expired tokens with 401; none came, and no call needed an auth retry.
    expect(servers.api.unauthorizedCount).toBe(0);
    expect(servers.api.requests).toHaveLength(values.length);
    // Control: the traffic outlived tokens, so renewals really happened during it.
    const tokensSeen = new Set(servers.api.requests.map((r) => r.token));
    expect(tokensSeen.size).toBeGreaterThanOrEqual(2);
    expect((await servers.oidc.stats()).tokenRequests).toBe(tokensSeen.size);
  });

  it('with a 500 ms token endpoint, calls made while a valid token exists do not wait for it', async () => {
    await servers.oidc.setFaults({ delayMs: 500 });

    // Control: a call that has to wait for the endpoint does take the 500 ms.
    expect(await timedCall()).toBeGreaterThanOrEqual(500);
    const firstToken = servers.api.requests[0].token;

    // The background refresh starts 2 s later (inside the skew) and takes 500 ms.
    const { values: latencies, errors } = await runSteadyTraffic(3_000, 25, timedCall);

    expect(errors).toEqual([]);
    expect((await servers.oidc.stats()).tokenRequests).toBe(2);
    const renewedAt = Math.min(
      ...servers.api.requests.filter((r) => r.token !== firstToken).map((r) => r.receivedAt),
    );
    const sentWhileRefreshing = servers.api.requests.filter(
      (r) => r.token === firstToken && r.receivedAt > renewedAt - 450,
    );
    expect(sentWhileRefreshing.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...latencies)).toBeLessThan(300);
    expect(servers.api.unauthorizedCount).toBe(0);
  });
});
