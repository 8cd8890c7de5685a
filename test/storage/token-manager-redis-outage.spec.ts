import KeyvRedis, { createKeyv } from '@keyv/redis';
import { Cache, createCache } from 'cache-manager';
import {
  CacheManagerTokenStorage,
  ClientCredentialsTokenProvider,
  RedisTokenLock,
  TokenManager,
} from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { LogCapture } from '../support/log-capture';
import { applyDecision, decideRedisSuite } from '../support/redis';
import { ThrowawayRedis, redisServerInstalled } from '../support/redis-server';

applyDecision(
  'TokenManager on shared Redis storage and lock, through a Redis outage',
  decideRedisSuite(redisServerInstalled(), process.env, 'redis-server is not installed'),
  () => {
    const logs = LogCapture.install();
    afterAll(() => LogCapture.uninstall());
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    let redis: ThrowawayRedis;
    let tokenServer: FakeTokenEndpoint;
    const caches: Cache[] = [];
    const locks: RedisTokenLock[] = [];

    /** What one app process builds: its own cache connection, lock and TokenManager. */
    function processManager(): TokenManager {
      const cache = createCache({ stores: [createKeyv(redis.url)] });
      const lock = RedisTokenLock.fromUrl(redis.url);
      caches.push(cache);
      locks.push(lock);
      const provider = new ClientCredentialsTokenProvider({
        tokenUrl: tokenServer.tokenUrl,
        clientId: 'outage-client',
        clientSecret: 'outage-s3cret',
        serviceName: 'outage',
      });
      return new TokenManager(provider, new CacheManagerTokenStorage(cache), { lock });
    }

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      [redis, tokenServer] = await Promise.all([
        ThrowawayRedis.start(),
        FakeTokenEndpoint.start({ clients: { 'outage-client': 'outage-s3cret' } }),
      ]);
    });

    afterAll(async () => {
      await Promise.all(locks.map((lock) => lock.close()));
      for (const cache of caches) {
        for (const keyv of cache.stores) await (keyv.store as KeyvRedis<unknown>).disconnect(true);
      }
      await Promise.all([redis.stop(), tokenServer.close()]);
      process.off('unhandledRejection', onUnhandled);
    });

    it('keeps serving the token through an outage, warns once, and shares again after a restart', async () => {
      const [a, b] = [processManager(), processManager()];
      const many = (manager: TokenManager, n: number) =>
        Promise.all(Array.from({ length: n }, () => manager.getToken()));

      const warm = await Promise.all([many(a, 50), many(b, 50)]);
      expect(tokenServer.tokenRequests).toBe(1);
      expect(new Set(warm.flat().map((t) => t.accessToken)).size).toBe(1);

      await redis.stop();
      const started = Date.now();
      const during = await Promise.all([many(a, 100), many(b, 100)]);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(during.flat().every((t) => t.accessToken === warm[0][0].accessToken)).toBe(true);
      expect(tokenServer.tokenRequests).toBe(1);
      // Managers holding a fresh token do not even read the storage during the outage.

      // A process started during the outage has no token: its read fails (a miss, warned once),
      // it fetches its own token, and every call still succeeds.
      const late = processManager();
      const lateTokens = await many(late, 50);
      expect(new Set(lateTokens.map((t) => t.accessToken)).size).toBe(1);
      expect(tokenServer.tokenRequests).toBe(2);
      // Warned once per outage, not per call: at most one storage warning per process (each has
      // its own connection) and one lock warning for the process that fetched; 350 calls made.
      expect(logs.count('warn', 'TokenStorage')).toBeGreaterThanOrEqual(1);
      expect(logs.count('warn', 'TokenStorage')).toBeLessThanOrEqual(3);
      expect(logs.count('warn', 'RedisTokenLock')).toBeLessThanOrEqual(1);
      const warningsDuringOutage = logs.count('warn');

      await redis.start(); // empty: a restarted Redis without persistence
      const c = processManager();
      await c.getToken();
      const issuedAfterRestart = tokenServer.tokenRequests;
      const d = processManager();
      await many(d, 20);
      expect(tokenServer.tokenRequests).toBe(issuedAfterRestart); // d used c's token from Redis
      expect(logs.count('warn')).toBe(warningsDuringOutage);
      expect(JSON.stringify(logs.lines)).not.toContain('outage-s3cret');
      expect(unhandled).toEqual([]);
    });
  },
);
