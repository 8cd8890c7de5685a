import KeyvRedis, { createKeyv } from '@keyv/redis';
import { Cache, createCache } from 'cache-manager';
import { CacheManagerTokenStorage, ExclusiveWork, RedisTokenLock, TokenData } from '../../lib';
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

    it('serves each process its last-seen token while Redis is down, warns once, and shares again after a restart', async () => {
      const a = new CacheManagerTokenStorage(cacheA, { operationTimeoutMs: 200 });
      const b = new CacheManagerTokenStorage(cacheB, { operationTimeoutMs: 200 });
      const fresh = new CacheManagerTokenStorage(cacheB, { operationTimeoutMs: 200 });
      await a.set('svc', newToken('before-outage'));
      expect((await b.get('svc'))?.accessToken).toBe('before-outage');

      await server.stop();
      const started = Date.now();
      await a.set('svc', newToken('during-outage'));
      const reads = await Promise.all([
        ...Array.from({ length: 10 }, () => a.get('svc')),
        ...Array.from({ length: 10 }, () => b.get('svc')),
        fresh.get('svc'),
      ]);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(reads.slice(0, 10).map((t) => t?.accessToken)).toEqual(
        Array(10).fill('during-outage'),
      );
      expect(reads.slice(10, 20).map((t) => t?.accessToken)).toEqual(
        Array(10).fill('before-outage'),
      );
      expect(reads[20]).toBeUndefined(); // nothing seen before the outage: a miss
      // One warning per cache (= per process): each one's connection reports the drop once.
      expect(logs.count('warn', 'CacheManagerTokenStorage')).toBe(2);

      await server.start();
      await eventually(async () => {
        await a.set('svc', newToken('after-restart'));
        return (await b.get('svc'))?.accessToken === 'after-restart';
      });
      // A call that overlapped a late reconnect error does not count as recovery; the next one does.
      await Promise.all([a.get('svc'), b.get('svc')]);
      expect(logs.count('warn', 'CacheManagerTokenStorage')).toBe(2);
      expect(logs.lines.filter((l) => /recovered/.test(l.message)).length).toBe(2);
      expect(JSON.stringify(logs.lines)).not.toMatch(/before-outage|during-outage|after-restart/);
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
          await storage.set(key, token);
          return token;
        },
        poll: () => storage.get(key),
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
  },
);
