import { lastValueFrom } from 'rxjs';
import {
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  TokenManager,
} from '../../lib';
import { FakeProtectedApi, FakeTokenEndpoint, ManualClock } from '../../lib/testing';
import { createTokenProvider } from '../../lib/tokens/token-provider.factory';
import { runConcurrently } from './concurrency';
import { HeldProvider, StoreWatcher } from '../support/clocked-tokens';
import { useOidcAndApi } from '../support/oidc-and-api';

/*
 * Issue 3 asks for 2 s tokens and a 1 s skew; 4 s tokens with a 2 s skew keep its ratio. The
 * library's timing (renewal inside the skew, calls not waiting for a refresh) is tested on a
 * ManualClock shared by the manager and the fake token endpoint, so nothing waits for a token to
 * age. One test keeps real oidc-provider and real time: its `exp` is floored to the second, which
 * only a real server shows.
 */
const TOKEN_TTL_SECONDS = 4;
const REFRESH_SKEW_MS = 2_000;

describe('short-lived tokens through a ForgeClient withTokenAuth (ManualClock)', () => {
  const clock = new ManualClock();
  let endpoint: FakeTokenEndpoint;
  let api: FakeProtectedApi;
  let provider: HeldProvider;
  let storage: StoreWatcher;
  let client: ForgeClient;

  beforeAll(async () => {
    endpoint = await FakeTokenEndpoint.start({
      clients: { orders: 'orders-s3cret' },
      expiresIn: TOKEN_TTL_SECONDS,
      clock,
    });
    api = await FakeProtectedApi.start(endpoint);
  });
  afterAll(async () => {
    await api.close();
    await endpoint.close();
  });

  beforeEach(() => {
    endpoint.reset();
    api.requests.length = 0;
    provider = new HeldProvider(
      new ClientCredentialsTokenProvider({
        tokenUrl: endpoint.tokenUrl,
        clientId: 'orders',
        clientSecret: 'orders-s3cret',
        serviceName: 'orders',
      }),
    );
    storage = new StoreWatcher();
    const manager = new TokenManager(provider, storage, { refreshSkew: REFRESH_SKEW_MS, clock });
    client = new ForgeClient(
      new HttpClientConfigBuilder().withBaseUrl(api.url).withTokenAuth(manager).build(),
    );
  });

  const call = () => lastValueFrom(client.get('/orders'));

  it('6 s of traffic across several token lifetimes: the API never sees an expired token', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    // A call every 250 ms of clock time; a renewal a call starts is stored before the next call.
    for (let elapsed = 0; elapsed < 6_000; elapsed += 250) {
      calls += 1;
      await call().catch((error: unknown) => errors.push(error));
      await storage.stored(provider.fetches);
      clock.advance(250);
    }

    expect(errors).toEqual([]);
    // The API refuses expired tokens with 401; none came, and no call needed an auth retry.
    expect(api.unauthorized).toBe(0);
    expect(api.requests).toHaveLength(calls);
    // Control: the traffic outlived tokens, so renewals really happened during it.
    const tokensSeen = new Set(api.requests.map((r) => r.accessToken));
    expect(tokensSeen.size).toBeGreaterThanOrEqual(2);
    expect(endpoint.tokenRequests).toBe(tokensSeen.size);
  });

  it('with a slow token endpoint, calls made while a valid token exists do not wait for it', async () => {
    // Control: a call that has to wait for the endpoint does wait while the fetch is held.
    provider.hold();
    let settled = false;
    const waiting = call().finally(() => {
      settled = true;
    });
    await provider.held;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    provider.release();
    await waiting;
    const firstToken = api.requests[0].accessToken;

    // Inside the skew, still valid: the first call starts a background refresh, which is held.
    clock.advance(TOKEN_TTL_SECONDS * 1_000 - REFRESH_SKEW_MS + 100);
    provider.hold();
    const { values, errors } = await runConcurrently(25, call);
    await provider.held;

    // All 25 answered while the refresh was still held: none waited for it.
    expect(errors).toEqual([]);
    expect(values).toHaveLength(25);
    expect(endpoint.tokenRequests).toBe(1);
    const sentWhileRefreshing = api.requests.slice(1).filter((r) => r.accessToken === firstToken);
    expect(sentWhileRefreshing.length).toBeGreaterThanOrEqual(5);
    expect(sentWhileRefreshing).toHaveLength(25);

    provider.release();
    await storage.stored(2);
    await call();
    expect(api.requests.at(-1)?.accessToken).not.toBe(firstToken);
    expect(endpoint.tokenRequests).toBe(2);
    expect(api.unauthorized).toBe(0);
  });
});

describe('short-lived oidc-provider tokens through a ForgeClient (interop, real time)', () => {
  const servers = useOidcAndApi({ tokenTtlSeconds: TOKEN_TTL_SECONDS });

  it('renews inside the skew before the API refuses a token whose exp oidc-provider floored', async () => {
    // oidc-provider sets `exp` to `floor(now) + ttl` while answering `expires_in: ttl`: a token
    // can die up to 1 s before the client computes. The 2 s skew must absorb that.
    const storage = new StoreWatcher();
    const manager = new TokenManager(
      createTokenProvider('orders', servers.oidc.clientCredentialsAuth()),
      storage,
      { refreshSkew: REFRESH_SKEW_MS },
    );
    const client = new ForgeClient(
      new HttpClientConfigBuilder().withBaseUrl(servers.api.baseUrl).withTokenAuth(manager).build(),
    );
    const call = () => lastValueFrom(client.get('/orders'));

    await call();
    // The server's clock, not the library's: only real time ages an oidc-provider token.
    await new Promise((resolve) =>
      setTimeout(resolve, TOKEN_TTL_SECONDS * 1_000 - REFRESH_SKEW_MS + 100),
    );
    await call(); // inside the skew: served at once, and starts the refresh
    await storage.stored(2);
    await call();

    const [first, withinSkew, renewed] = servers.api.requests.map((r) => r.token);
    expect(withinSkew).toBe(first);
    expect(renewed).not.toBe(first);
    expect(servers.api.unauthorizedCount).toBe(0);
    expect((await servers.oidc.stats()).tokenRequests).toBe(2);
  });
});
