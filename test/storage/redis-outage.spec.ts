import KeyvRedis, { createClient, createKeyv } from '@keyv/redis';
import { Cache, createCache } from 'cache-manager';
import {
  CacheManagerTokenStorage,
  ExclusiveWork,
  RedisTokenLock,
  TokenData,
  TokenManager,
} from '../../lib';
import { LogCapture } from '../support/log-capture';
import { applyDecision, decideRedisSuite } from '../support/redis';
import { ThrowawayRedis, redisServerInstalled } from '../support/redis-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newToken(accessToken: string): TokenData {
  return new TokenData({ accessToken, expiresAt: new Date(Date.now() + 60_000) });
}

async function destroyRedisStores(cache: Cache): Promise<void> {
  for (const keyv of cache.stores) await (keyv.store as KeyvRedis<unknown>).disconnect(true);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await sleep(50);
  }
}

// A second redis-server of our own, killed and restarted mid-run: the shared one stays up.
applyDecision(
  'Redis outage (throwaway redis-server)',
  decideRedisSuite(redisServerInstalled(), process.env, 'redis-server is not installed'),
  () => {
    const logs = LogCapture.install();
    afterAll(() => LogCapture.uninstall());
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    let server: ThrowawayRedis;
    let cacheA: Cache;
    let cacheB: Cache;

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      server = await ThrowawayRedis.start();
      cacheA = createCache({ stores: [createKeyv(server.url)] });
      cacheB = createCache({ stores: [createKeyv(server.url)] });
    });

    afterAll(async () => {
      // Forced: a graceful close waits for commands queued during an outage the test left behind.
      await Promise.all([destroyRedisStores(cacheA), destroyRedisStores(cacheB)]);
      await server.stop();
      process.off('unhandledRejection', onUnhandled);
    });

    it('keeps each process on the token it holds while Redis is down, warns once, and shares again after a restart', async () => {
      const a = new CacheManagerTokenStorage(cacheA, { operationTimeoutMs: 200 });
      const b = new CacheManagerTokenStorage(cacheB, { operationTimeoutMs: 200 });
      let issued = 0;
      const provider = {
        serviceName: 'outage-svc',
        fetchToken: async () => newToken(`token-${++issued}`),
      };
      // A 1 s skew: B serves A's 60 s token as it is, without a background refresh.
      const managerA = new TokenManager(provider, a, { refreshSkew: 1_000 });
      const managerB = new TokenManager(provider, b, { refreshSkew: 1_000 });
      const before = await managerA.getToken();
      expect((await managerB.getToken()).sameTokenAs(before)).toBe(true); // B read A's token

      await server.stop();
      const started = Date.now();
      const fresh = new TokenManager(provider, b, { refreshSkew: 1_000 }); // a process started during the outage
      const reads = await Promise.all([
        ...Array.from({ length: 10 }, () => managerA.getToken()),
        ...Array.from({ length: 10 }, () => managerB.getToken()),
        fresh.getToken(),
      ]);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(reads.slice(0, 20).every((t) => t.sameTokenAs(before))).toBe(true);
      expect(reads[20].accessToken).toBe('token-2'); // nothing held: a miss, fetched
      // Only the fresh manager had to read: one warning for its storage, not one per call.
      expect(logs.count('warn', 'TokenStorage')).toBe(1);

      await server.start();
      await eventually(async () => {
        try {
          await a.set('svc', newToken('after-restart'));
          return (await b.get('svc'))?.accessToken === 'after-restart';
        } catch {
          return false; // still reconnecting
        }
      });
      await fresh.invalidate(reads[20]); // reads and deletes through the recovered storage
      expect((await fresh.getToken()).accessToken).toBe('token-3');
      expect(logs.count('warn', 'TokenStorage')).toBe(1);
      expect(logs.lines.filter((l) => /recovered/.test(l.message)).length).toBe(1);
      expect(JSON.stringify(logs.lines)).not.toMatch(/token-\d|after-restart/);
      expect(unhandled).toEqual([]);
    });

    it('lets every caller fetch while the lock’s Redis is down, and shares one fetch again after a restart', async () => {
      const locks = [RedisTokenLock.fromUrl(server.url), RedisTokenLock.fromUrl(server.url)];
      const storage = new CacheManagerTokenStorage(cacheA, { operationTimeoutMs: 200 });
      let fetches = 0;
      const work = (key: string): ExclusiveWork<TokenData> => ({
        fetchTimeoutMs: 1_000,
        fetch: async () => {
          fetches += 1;
          await sleep(100);
          const token = newToken(`fetch-${fetches}`);
          // The storage reports the outage; the TokenManager would turn it into a miss.
          await storage.set(key, token).catch(() => undefined);
          return token;
        },
        poll: () => storage.get(key).catch(() => undefined),
      });
      try {
        await Promise.all(locks.map((lock) => lock.runExclusive('warm-up', work('warm-up'))));
        expect(fetches).toBe(1);
        logs.clear();

        await server.stop();
        fetches = 0;
        const started = Date.now();
        await Promise.all(locks.map((lock) => lock.runExclusive('down', work('down'))));
        await Promise.all(locks.map((lock) => lock.runExclusive('down', work('down'))));
        expect(fetches).toBe(4);
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(logs.count('warn', 'RedisTokenLock')).toBe(2); // one per lock instance (= process)

        await server.start();
        await eventually(async () => {
          fetches = 0;
          const key = `up-${Date.now()}`;
          await Promise.all(locks.map((lock) => lock.runExclusive(key, work(key))));
          return fetches === 1;
        });
        expect(logs.count('warn', 'RedisTokenLock')).toBe(2);
        expect(unhandled).toEqual([]);
      } finally {
        await Promise.all(locks.map((lock) => lock.close()));
      }
    });

    it('says why the lock cannot log in, and stops trying: the refused password is no outage to wait out', async () => {
      const guarded = await ThrowawayRedis.start('right-pa55word');
      const wrong = `redis://default:wr0ng-pa55word@127.0.0.1:${guarded.port}`;
      const lock = RedisTokenLock.fromUrl(wrong, { commandTimeoutMs: 1_000 });
      const work = (token: string): ExclusiveWork<TokenData> => ({
        fetch: async () => newToken(token),
        poll: async () => undefined,
        fetchTimeoutMs: 1_000,
      });
      try {
        logs.clear();
        // The caller still gets its token: the lock lets it fetch directly.
        expect((await lock.runExclusive('svc', work('direct-1'))).accessToken).toBe('direct-1');
        expect((await lock.runExclusive('svc', work('direct-2'))).accessToken).toBe('direct-2');
        const warnings = logs.lines.filter((line) => line.level === 'warn');
        expect(warnings.map((line) => line.message)).toEqual([
          expect.stringMatching(/^Redis token lock unavailable \(\w+ WRONGPASS\)/),
        ]);
        expect(logs.text).not.toContain('wr0ng-pa55word');
        // No reconnect loop: nothing more connects once the login was refused.
        const clients = await withRedisInfo(guarded, 'stats');
        await sleep(500);
        const after = await withRedisInfo(guarded, 'stats');
        // Only the second INFO's own connection came in since the first.
        expect(totalConnections(after)).toBe(totalConnections(clients) + 1);
      } finally {
        await lock.close();
        await guarded.stop();
      }
    });
  },
);

/** INFO `section` of a password-protected throwaway server, read with the right password. */
async function withRedisInfo(server: ThrowawayRedis, section: string): Promise<string> {
  const client = createClient({ url: `redis://default:right-pa55word@127.0.0.1:${server.port}` });
  await client.connect();
  try {
    return await client.info(section);
  } finally {
    await client.close();
  }
}

function totalConnections(info: string): number {
  return Number(/total_connections_received:(\d+)/.exec(info)?.[1]);
}
