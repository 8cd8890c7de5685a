import {
  ClientCredentialsTokenProvider,
  ExclusiveWork,
  InMemoryTokenStorage,
  TokenData,
  TokenLock,
  TokenManager,
  TokenStorage,
} from '../../lib';
import { FakeProtectedApi, FakeTokenEndpoint, ManualClock } from '../../lib/testing';
import { POST_CLIENT } from '../support/oidc-server';
import { waitFor } from '../support/body-faults';
import { apiAccepts, HeldProvider, StoreWatcher } from '../support/clocked-tokens';
import { useLogCapture } from '../support/log-capture';
import { SharedTestLock } from '../support/shared-test-lock';
import { expectSecretsAbsent } from '../support/secrets';
import { useOidcAndApi } from '../support/oidc-and-api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TokenManager with oidc-provider and a protected API', () => {
  // Interoperability only: the manager's timing (skew, background refresh, expiry) is tested on a
  // ManualClock below, and oidc-provider's floored `exp` in test/e2e/short-lived-tokens.spec.ts.
  const servers = useOidcAndApi();

  const provider = (scope?: string) =>
    new ClientCredentialsTokenProvider({
      tokenUrl: servers.oidc.tokenUrl,
      clientId: POST_CLIENT.clientId,
      clientSecret: POST_CLIENT.clientSecret,
      serviceName: 'orders',
      scope,
    });

  it('makes one token request for 1000 concurrent calls', async () => {
    const manager = new TokenManager(provider(), new InMemoryTokenStorage(), { refreshSkew: 0 });
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => manager.getToken()));
    expect((await servers.oidc.stats()).tokenRequests).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(await servers.api.accepts(tokens[0].accessToken)).toBe(true);
  });

  it('fetches one new token for 500 concurrent 401s on one revoked token', async () => {
    const manager = new TokenManager(provider(), new InMemoryTokenStorage(), { refreshSkew: 0 });
    const revoked = await manager.getToken();
    await servers.oidc.revoke(revoked.accessToken);
    expect(await servers.api.accepts(revoked.accessToken)).toBe(false);
    const renewed = await Promise.all(
      Array.from({ length: 500 }, async () => {
        await manager.invalidate(revoked);
        return manager.getToken();
      }),
    );
    expect((await servers.oidc.stats()).tokenRequests).toBe(2);
    expect(new Set(renewed.map((t) => t.accessToken)).size).toBe(1);
    expect(renewed[0].sameTokenAs(revoked)).toBe(false);
    expect(await servers.api.accepts(renewed[0].accessToken)).toBe(true);
  });

  it('keeps the newer token a peer stored when an old token is refused (two managers, one storage)', async () => {
    const storage = new InMemoryTokenStorage();
    const a = new TokenManager(provider(), storage, { refreshSkew: 0 });
    const b = new TokenManager(provider(), storage, { refreshSkew: 0 });
    expect(a.storageKey).toBe(b.storageKey);
    const old = await a.getToken();
    expect((await b.getToken()).sameTokenAs(old)).toBe(true);
    await servers.oidc.revoke(old.accessToken);

    await b.invalidate(old); // B's request got the 401 first
    const newer = await b.getToken();
    await a.invalidate(old); // A's late 401 on the old token
    const seenByA = await a.getToken();

    expect(seenByA.sameTokenAs(newer)).toBe(true);
    expect((await storage.get(a.storageKey))?.sameTokenAs(newer)).toBe(true);
    expect((await servers.oidc.stats()).tokenRequests).toBe(2);
    expect(await servers.api.accepts(seenByA.accessToken)).toBe(true);
  });

  it('makes one fetch for concurrent callers of two managers on one storage and lock', async () => {
    const storage = new InMemoryTokenStorage();
    // Each manager is the single flight of its own callers; the lock joins the two.
    const lock = new SharedTestLock();
    const a = new TokenManager(provider(), storage, { refreshSkew: 0, lock });
    const b = new TokenManager(provider(), storage, { refreshSkew: 0, lock });
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).getToken()),
    );
    expect((await servers.oidc.stats()).tokenRequests).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it('keys the storage by service and by what changes the token', () => {
    const read = new TokenManager(provider('api:read'));
    const none = new TokenManager(provider());
    expect(read.storageKey).toMatch(/^orders:[0-9a-f]{32}$/);
    expect(read.storageKey).not.toBe(none.storageKey);
    expect(read.storageKey).not.toContain(POST_CLIENT.clientSecret);
    expect(read.serviceName).toBe('orders');
  });
});

describe('TokenManager (fake token endpoint)', () => {
  let server: FakeTokenEndpoint;
  const logs = useLogCapture();

  beforeAll(async () => {
    server = await FakeTokenEndpoint.start({ clients: { c: 'scripted-s3cret' } });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const provider = () =>
    new ClientCredentialsTokenProvider({
      tokenUrl: server.tokenUrl,
      clientId: 'c',
      clientSecret: 'scripted-s3cret',
      serviceName: 'scripted',
    });

  it('returns the cached token until it is within the skew', async () => {
    const manager = new TokenManager(provider());
    const first = await manager.getToken();
    for (let i = 0; i < 20; i++) expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    await sleep(50); // a background refresh, had one started, would have reached the server
    expect(server.tokenRequests).toBe(1);
  });

  it('waits for a new token when the current one has expired', async () => {
    server.expiresIn = 1;
    const clock = new ManualClock();
    const manager = new TokenManager(provider(), undefined, { refreshSkew: 0, clock });
    const first = await manager.getToken();
    clock.advance(1_100);
    const second = await manager.getToken();
    expect(second.sameTokenAs(first)).toBe(false);
    expect(second.isExpired(0, clock.now())).toBe(false);
  });

  it('stores the token with a TTL equal to its time to expiry', async () => {
    const sets: number[] = [];
    const storage = new InMemoryTokenStorage();
    const recording: TokenStorage = {
      get: (key) => storage.get(key),
      delete: (key) => storage.delete(key),
      set: (key, token, ttl) => {
        sets.push(ttl!);
        return storage.set(key, token, ttl);
      },
    };
    server.expiresIn = 30;
    await new TokenManager(provider(), recording).getToken();
    expect(sets).toHaveLength(1);
    expect(sets[0]).toBeGreaterThan(28_000);
    expect(sets[0]).toBeLessThanOrEqual(30_000);
  });

  it('invalidate() without a token deletes whatever is stored', async () => {
    const manager = new TokenManager(provider());
    const first = await manager.getToken();
    await manager.invalidate();
    expect((await manager.getToken()).sameTokenAs(first)).toBe(false);
    expect(server.tokenRequests).toBe(2);
  });

  it('invalidate(token) of a token never stored keeps the stored one', async () => {
    const manager = new TokenManager(provider());
    const current = await manager.getToken();
    await manager.invalidate(new TokenData({ accessToken: 'some-other-token' }));
    expect((await manager.getToken()).sameTokenAs(current)).toBe(true);
    expect(server.tokenRequests).toBe(1);
  });

  it("invalidate(token) deletes nothing it could not read: a peer's replacement survives a failed read", async () => {
    let issued = 0;
    const numbered = {
      serviceName: 'shared',
      fetchToken: async () => new TokenData({ accessToken: `shared-token-${++issued}` }),
    };
    const shared = new InMemoryTokenStorage();
    let readsFail = false;
    const flaky: TokenStorage = {
      get: (key) => (readsFail ? Promise.reject(new Error('read timed out')) : shared.get(key)),
      set: (key, token, ttl) => shared.set(key, token, ttl),
      delete: (key) => shared.delete(key),
    };
    const a = new TokenManager(numbered, shared);
    const b = new TokenManager(numbered, flaky);
    const first = await a.getToken();
    expect((await b.getToken()).sameTokenAs(first)).toBe(true);

    await a.invalidate(first); // A got the 401 first and stores its replacement
    const replacement = await a.getToken();
    readsFail = true; // B's storage read fails just as its late 401 arrives
    await b.invalidate(first);

    expect((await shared.get(a.storageKey))?.sameTokenAs(replacement)).toBe(true);
  });

  it('serves a refused token again when the server hands out that same token', async () => {
    let fetches = 0;
    const sameEveryTime = new TokenData({
      accessToken: 'same-token-every-time',
      expiresAt: new Date(Date.now() + 600_000),
    });
    const manager = new TokenManager({
      serviceName: 'sticky',
      fetchToken: async () => (fetches++, sameEveryTime),
    });
    const first = await manager.getToken();
    await manager.invalidate(first);
    expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    await manager.getToken();
    expect(fetches).toBe(2);
  });

  it('applies defaultTokenLifetime to tokens without expiry', async () => {
    const manager = new TokenManager(
      {
        serviceName: 'custom',
        fetchToken: async () => new TokenData({ accessToken: 'no-expiry' }),
      },
      undefined,
      { defaultTokenLifetime: 5_000, refreshSkew: 0 },
    );
    const token = await manager.getToken();
    expect(token.expiresInMs()).toBeGreaterThan(4_000);
    expect(token.expiresInMs()).toBeLessThanOrEqual(5_000);
  });

  it('keeps the skew below half the lifetime of a short-lived token', async () => {
    server.expiresIn = 10; // the default 60 s skew is longer than the token lives
    const manager = new TokenManager(provider());
    const first = await manager.getToken();
    for (let i = 0; i < 10; i++) expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    await sleep(50);
    expect(server.tokenRequests).toBe(1);
  });

  it('serves the current token and pauses after a failed background refresh', async () => {
    const clock = new ManualClock();
    const manager = new TokenManager(provider(), undefined, { refreshSkew: 1_000, clock });
    const first = await manager.getToken();
    server.failNext(1, { status: 400, error: 'invalid_client' });
    clock.advance(first.expiresInMs(clock.now())! - 900); // within the skew, still valid
    expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    const failed = /Background token refresh for "scripted" failed/;
    await waitFor(() => logs.messages.some((l) => failed.test(l)));
    for (let i = 0; i < 10; i++) expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    await sleep(50); // a refresh, had the pause not held it back, would have reached the server
    expect(server.tokenRequests).toBe(2);
    expectSecretsAbsent(logs.text, ['scripted-s3cret', first.accessToken], logs);
  });

  it('treats a failing storage as a miss, logs it once and still fetches only once', async () => {
    const failing: TokenStorage = {
      get: async () => {
        throw Object.assign(new Error('redis down, value scripted-s3cret'), {
          code: 'ECONNREFUSED',
        });
      },
      set: async () => {
        throw new Error('redis down');
      },
      delete: async () => {
        throw new Error('redis down');
      },
    };
    const manager = new TokenManager(provider(), failing);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.getToken()));
    const again = await manager.getToken();
    expect(again.sameTokenAs(tokens[0])).toBe(true);
    await sleep(50);
    expect(server.tokenRequests).toBe(1);
    const storageLines = logs.messages.filter((l) => l.includes('Token storage'));
    expect(storageLines).toHaveLength(1);
    expect(storageLines[0]).toMatch(/ECONNREFUSED/);
    // A refused token is not served again even though the storage could not delete it.
    await manager.invalidate(again);
    expect((await manager.getToken()).sameTokenAs(again)).toBe(false);
    expectSecretsAbsent(logs.text, ['scripted-s3cret', again.accessToken], logs);
  });

  it('runs fetches through the configured lock with a fetch timeout', async () => {
    const calls: { key: string; fetchTimeoutMs: number }[] = [];
    const lock: TokenLock = {
      runExclusive<T>(key: string, work: ExclusiveWork<T>): Promise<T> {
        calls.push({ key, fetchTimeoutMs: work.fetchTimeoutMs });
        return work.fetch();
      },
    };
    const manager = new TokenManager(provider(), undefined, { lock });
    await Promise.all([manager.getToken(), manager.getToken()]);
    expect(calls).toEqual([{ key: manager.storageKey, fetchTimeoutMs: expect.any(Number) }]);
    expect(calls[0].fetchTimeoutMs).toBeGreaterThanOrEqual(10_000);
  });

  it('propagates a token endpoint failure to every waiting caller and recovers', async () => {
    server.failNext(1, { status: 400, error: 'invalid_client' });
    const clock = new ManualClock();
    const manager = new TokenManager(provider(), undefined, { clock });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => manager.getToken()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(server.tokenRequests).toBe(1);
    // Within the failure backoff the last failure is repeated without a request...
    await expect(manager.getToken()).rejects.toMatchObject({ error: 'invalid_client' });
    expect(server.tokenRequests).toBe(1);
    // ...and once it has passed the manager fetches again.
    clock.advance(1_000);
    await expect(manager.getToken()).resolves.toBeInstanceOf(TokenData);
    for (const result of results) {
      expectSecretsAbsent((result as PromiseRejectedResult).reason, ['scripted-s3cret'], logs);
    }
  });

  describe('on a ManualClock shared with the token endpoint and a protected API', () => {
    const clock = new ManualClock();
    let endpoint: FakeTokenEndpoint;
    let api: FakeProtectedApi;

    beforeAll(async () => {
      endpoint = await FakeTokenEndpoint.start({
        clients: { c: 'scripted-s3cret' },
        expiresIn: 3,
        clock,
      });
      api = await FakeProtectedApi.start(endpoint);
    });
    afterAll(async () => {
      await api.close();
      await endpoint.close();
    });
    beforeEach(() => endpoint.reset());

    const clockedProvider = () =>
      new ClientCredentialsTokenProvider({
        tokenUrl: endpoint.tokenUrl,
        clientId: 'c',
        clientSecret: 'scripted-s3cret',
        serviceName: 'scripted',
      });

    it('serves a token within the skew at once while one background refresh runs', async () => {
      const provider = new HeldProvider(clockedProvider());
      const storage = new StoreWatcher();
      const manager = new TokenManager(provider, storage, { refreshSkew: 1_500, clock });
      const first = await manager.getToken();
      provider.hold(); // the refresh's token request waits until released: a slow endpoint
      // Within the skew (at most half the lifetime the manager measured, however slow the fetch
      // was), still valid.
      clock.advance(first.expiresInMs(clock.now())! - 500);
      const served = await Promise.all(Array.from({ length: 200 }, () => manager.getToken()));
      await provider.held;
      // All 200 answered while the refresh was held: none waited for it.
      expect(endpoint.tokenRequests).toBe(1);
      expect(served.every((t) => t.sameTokenAs(first))).toBe(true);
      expect(await apiAccepts(api, first.accessToken)).toBe(true);
      provider.release();
      await storage.stored(2);
      const renewed = await manager.getToken();
      expect(renewed.sameTokenAs(first)).toBe(false);
      expect(endpoint.tokenRequests).toBe(2);
      expect(await apiAccepts(api, renewed.accessToken)).toBe(true);
    });

    it('never serves an expired token over 4 s of traffic with 3 s tokens', async () => {
      const manager = new TokenManager(clockedProvider(), new InMemoryTokenStorage(), {
        refreshSkew: 1_500,
        clock,
      });
      let checked = 0;
      for (let elapsed = 0; elapsed < 4_000; elapsed += 50) {
        const token = await manager.getToken();
        expect(token.isExpired(0, clock.now())).toBe(false);
        if (checked++ % 10 === 0) expect(await apiAccepts(api, token.accessToken)).toBe(true);
        clock.advance(50);
      }
      const requests = endpoint.tokenRequests;
      expect(requests).toBeGreaterThanOrEqual(2);
      expect(requests).toBeLessThanOrEqual(4);
    });
  });
});
