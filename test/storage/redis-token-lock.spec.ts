import { createKeyv } from '@keyv/redis';
import { Cache, createCache } from 'cache-manager';
import {
  CacheManagerTokenStorage,
  ExclusiveWork,
  RedisTokenLock,
  TokenData,
  TokenLock,
  TokenManager,
} from '../../lib';
import { LogCapture } from '../support/log-capture';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import {
  TestRedisClient,
  deleteKeysUnder,
  newRedisClient,
  withRedisClient,
} from '../support/redis-keys';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newToken(accessToken: string): TokenData {
  return new TokenData({ accessToken, expiresAt: new Date(Date.now() + 60_000) });
}

describeRedis('RedisTokenLock', () => {
  const prefix = uniqueKeyPrefix('lock');
  const logs = LogCapture.install();
  afterAll(() => LogCapture.uninstall());
  const clients: TestRedisClient[] = [];
  const caches: Cache[] = [];

  function connect(): TestRedisClient {
    const client = newRedisClient(redisUrl());
    clients.push(client);
    return client;
  }

  /** One simulated process: its own Redis connection for the lock and its own cache store. */
  function simulatedProcess(lockOptions = {}) {
    const cache = createCache({ stores: [createKeyv(redisUrl(), { namespace: prefix })] });
    caches.push(cache);
    return {
      lock: new RedisTokenLock(connect(), { keyPrefix: `${prefix}lock:`, ...lockOptions }),
      storage: new CacheManagerTokenStorage(cache),
    };
  }

  afterEach(() => logs.clear());

  afterAll(async () => {
    await Promise.all(caches.map((cache) => cache.disconnect()));
    await Promise.all(clients.filter((c) => c.isOpen).map((c) => c.close()));
    await deleteKeysUnder(prefix);
  });

  it('runs fetch exactly once for 8 concurrent processes; the others get the stored token', async () => {
    const key = 'single-flight';
    let fetches = 0;
    const processes = Array.from({ length: 8 }, () => simulatedProcess());
    const results = await Promise.all(
      processes.map(({ lock, storage }, i) =>
        lock.runExclusive<TokenData>(key, {
          fetchTimeoutMs: 2_000,
          fetch: async () => {
            fetches += 1;
            await sleep(150);
            const token = newToken(`token-from-${i}`);
            await storage.set(key, token);
            return token;
          },
          poll: () => storage.get(key),
        }),
      ),
    );
    expect(fetches).toBe(1);
    expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
  });

  it('gets one caller per process from a TokenManager: 50 callers enter the lock once', async () => {
    const key = 'one-process';
    const { lock, storage } = simulatedProcess();
    let entered = 0;
    const counting: TokenLock = {
      runExclusive: (lockKey, work) => {
        entered += 1;
        return lock.runExclusive(lockKey, work);
      },
    };
    let fetches = 0;
    const manager = new TokenManager(
      {
        serviceName: key,
        fetchToken: async () => {
          fetches += 1;
          await sleep(50);
          return newToken('shared-in-process');
        },
      },
      storage,
      { lock: counting },
    );
    const results = await Promise.all(Array.from({ length: 50 }, () => manager.getToken()));
    expect(entered).toBe(1);
    expect(fetches).toBe(1);
    expect(results.every((t) => t.accessToken === 'shared-in-process')).toBe(true);
  });

  it("bounds every process's callers by the provider's worst case when the token endpoint hangs", async () => {
    const key = 'hanging-endpoint';
    const worstCaseMs = 800;
    let fetches = 0;
    const managers = Array.from({ length: 3 }, () => {
      const { lock, storage } = simulatedProcess({ leaseMs: 300 });
      const hanging = {
        serviceName: key,
        fetchTimeoutMs: worstCaseMs,
        fetchToken: () => {
          fetches += 1;
          return new Promise<TokenData>(() => undefined); // an endpoint that never answers
        },
      };
      return new TokenManager(hanging, storage, { lock, storageKey: key });
    });
    const waits = await Promise.all(
      managers.map(async (manager, i) => {
        await sleep(i * 100); // the processes' callers arrive one after the other
        const started = Date.now();
        const error = await manager.getToken().catch((e: unknown) => e);
        return { error, waitedMs: Date.now() - started };
      }),
    );
    for (const { error, waitedMs } of waits) {
      expect((error as Error).message).toMatch(/did not finish within 800 ms/);
      // Before, a waiter waited for the holder's whole fetch and then ran one of its own
      // (about 2.2 s here); the margin is for a loaded machine.
      expect(waitedMs).toBeLessThan(worstCaseMs + 500);
    }
    // A failure is not shared across processes: each may take its late turn, but none twice.
    expect(fetches).toBeLessThanOrEqual(managers.length);
  });

  it('lets a waiter take over when the holder never releases before the lock expires', async () => {
    const key = 'takeover';
    const crashed = simulatedProcess({ leaseMs: 100 });
    const survivor = simulatedProcess({ leaseMs: 100 });
    const events: string[] = [];
    const stalled = crashed.lock.runExclusive(key, {
      fetchTimeoutMs: 100,
      fetch: async () => {
        await sleep(1_000); // hangs past its fetch timeout and lease, and never stores
        events.push('stalled holder finished');
        return newToken('late');
      },
      poll: async () => undefined,
    });
    await sleep(30);
    const started = Date.now();
    const token = await survivor.lock.runExclusive(key, {
      fetchTimeoutMs: 100,
      fetch: async () => {
        events.push('survivor fetched');
        const fresh = newToken('taken-over');
        await survivor.storage.set(key, fresh);
        return fresh;
      },
      poll: () => survivor.storage.get(key),
    });
    expect(token.accessToken).toBe('taken-over');
    expect(Date.now() - started).toBeLessThan(800);
    await stalled;
    expect(events).toEqual(['survivor fetched', 'stalled holder finished']);
  });

  it('keeps a short lease alive while the holder fetches: no peer takes over a live holder', async () => {
    const key = 'lease-renewed';
    const lockKey = `${prefix}lock:${key}`;
    const holder = simulatedProcess({ leaseMs: 300 });
    const peer = simulatedProcess({ leaseMs: 300 });
    let fetches = 0;
    const work = (storage: CacheManagerTokenStorage): ExclusiveWork<TokenData> => ({
      fetchTimeoutMs: 5_000,
      fetch: async () => {
        fetches += 1;
        await sleep(1_200); // four leases long
        const token = newToken('slow-but-alive');
        await storage.set(key, token);
        return token;
      },
      poll: () => storage.get(key),
    });
    const holding = holder.lock.runExclusive(key, work(holder.storage));
    await sleep(50);
    const waiting = peer.lock.runExclusive(key, work(peer.storage));
    const ttls: number[] = [];
    for (let i = 0; i < 4; i++) {
      await sleep(250);
      ttls.push(await withRedisClient((c) => c.pTTL(lockKey)));
    }
    const [a, b] = await Promise.all([holding, waiting]);
    expect(fetches).toBe(1);
    expect([a.accessToken, b.accessToken]).toEqual(['slow-but-alive', 'slow-but-alive']);
    // The key never lives longer than one lease, yet it is there all along: it was renewed.
    expect(ttls.every((ttl) => ttl > 0 && ttl <= 300)).toBe(true);
    expect(await withRedisClient((c) => c.exists(lockKey))).toBe(0);
  });

  it('is released only by its owner: an expired holder does not delete its successor’s lock', async () => {
    const key = 'owner-release';
    const lockKey = `${prefix}lock:${key}`;
    const first = simulatedProcess({ leaseMs: 50 });
    const second = simulatedProcess({ leaseMs: 1_000 });
    let secondHolds!: () => void;
    const secondMayFinish = new Promise<void>((resolve) => (secondHolds = resolve));
    const firstRun = first.lock.runExclusive(key, {
      fetchTimeoutMs: 50,
      fetch: async () => {
        await sleep(400); // its 50 ms lease lapses meanwhile (renewed for 50 ms only)
        return newToken('first');
      },
      poll: async () => undefined,
    });
    await sleep(150);
    const secondRun = second.lock.runExclusive(key, {
      fetchTimeoutMs: 50,
      fetch: async () => {
        await secondMayFinish;
        return newToken('second');
      },
      poll: async () => undefined,
    });
    await firstRun; // releases with the first owner value
    const holder = await withRedisClient((c) => c.get(lockKey));
    expect(holder).not.toBeNull();
    secondHolds();
    await secondRun;
    expect(await withRedisClient((c) => c.get(lockKey))).toBeNull();
  });

  it('fetches directly after maxWaitMs when a peer holds the lock and no token appears', async () => {
    const key = 'bounded-wait';
    await withRedisClient((c) =>
      c.set(`${prefix}lock:${key}`, 'a-stuck-peer', { expiration: { type: 'PX', value: 10_000 } }),
    );
    const { lock } = simulatedProcess({ maxWaitMs: 300 });
    let polls = 0;
    const started = Date.now();
    const token = await lock.runExclusive(key, {
      fetchTimeoutMs: 1_000,
      fetch: async () => newToken('direct'),
      poll: async () => {
        polls += 1;
        return undefined;
      },
    });
    expect(token.accessToken).toBe('direct');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(1_000);
    // It waited for the peer's token (how often it looked depends on the machine's load).
    expect(polls).toBeGreaterThanOrEqual(1);
  });

  // A crashed or older writer's `SET` without PX used to make every fetch wait the full maxWaitMs
  // (fetch timeout + 2 leases, ~50 s by default), for ever.
  const leftWithoutExpiry: [string, (c: TestRedisClient, lockKey: string) => Promise<unknown>][] = [
    ['string', (c, lockKey) => c.set(lockKey, 'ghost-owner')],
    ['hash', (c, lockKey) => c.hSet(lockKey, 'owner', 'ghost')],
  ];
  it.each(leftWithoutExpiry)(
    'gives a lock key without expiry (a %s) one lease: the fetch waits about one lease, not maxWaitMs',
    async (kind, leave) => {
      const key = `no-expiry-${kind}`;
      const lockKey = `${prefix}lock:${key}`;
      const leaseMs = 300;
      await withRedisClient((c) => leave(c, lockKey));
      expect(await withRedisClient((c) => c.pTTL(lockKey))).toBe(-1);
      const { lock } = simulatedProcess({ leaseMs });
      let fetches = 0;
      const started = Date.now();
      const run = lock.runExclusive(key, {
        fetchTimeoutMs: 10_000, // maxWaitMs 10.6 s: only the stale key's expiry ends the wait sooner
        fetch: async () => {
          fetches += 1;
          return newToken('after-stale-lock');
        },
        poll: async () => undefined,
      });
      await sleep(50);
      const pttl = await withRedisClient((c) => c.pTTL(lockKey));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(leaseMs);
      const token = await run;
      expect(token.accessToken).toBe('after-stale-lock');
      expect(fetches).toBe(1);
      expect(Date.now() - started).toBeLessThan(2 * leaseMs + 250);
      expect(logs.count('warn', 'RedisTokenLock')).toBe(1);
      expect(await withRedisClient((c) => c.exists(lockKey))).toBe(0);
    },
  );

  it('fetches directly when Redis is unreachable, logging one warning for many calls', async () => {
    const lock = RedisTokenLock.fromUrl('redis://127.0.0.1:1', { commandTimeoutMs: 200 });
    const work: ExclusiveWork<TokenData> = {
      fetchTimeoutMs: 1_000,
      fetch: async () => newToken('no-redis'),
      poll: async () => undefined,
    };
    const started = Date.now();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => lock.runExclusive('k', work)));
    tokens.push(await lock.runExclusive('k', work));
    expect(tokens.every((t) => t.accessToken === 'no-redis')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(logs.count('warn', 'RedisTokenLock')).toBe(1);
    // The slow connect says what its tries ran into, not only that it was slow.
    expect(logs.text).toMatch(
      /Redis connect \(last error: \w+ ECONNREFUSED\) took longer than 200 ms/,
    );
    await lock.close();
  });

  it('closes the connection it opened from a URL and leaves a client passed in open', async () => {
    const passedIn = connect();
    await passedIn.connect();
    const borrowed = new RedisTokenLock(passedIn, { keyPrefix: `${prefix}lock:` });
    const owning = RedisTokenLock.fromUrl(redisUrl(), { keyPrefix: `${prefix}lock:` });
    const work: ExclusiveWork<TokenData> = {
      fetchTimeoutMs: 1_000,
      fetch: async () => newToken('t'),
      poll: async () => undefined,
    };
    await borrowed.runExclusive('close-a', work);
    await owning.runExclusive('close-b', work);
    await borrowed.close();
    await owning.onModuleDestroy();
    expect(passedIn.isOpen).toBe(true);
    expect(logs.count('warn')).toBe(0);
  });

  it('does not reopen a client its owner closed: fetches directly instead', async () => {
    const passedIn = connect();
    const lock = new RedisTokenLock(passedIn, { keyPrefix: `${prefix}lock:` });
    const work: ExclusiveWork<TokenData> = {
      fetchTimeoutMs: 1_000,
      fetch: async () => newToken('direct'),
      poll: async () => undefined,
    };
    await lock.runExclusive('reopen', work); // connects the fresh client on first use
    await passedIn.close();
    expect((await lock.runExclusive('reopen', work)).accessToken).toBe('direct');
    expect(passedIn.isOpen).toBe(false);
    expect(logs.count('warn', 'RedisTokenLock')).toBe(1);
  });
});
