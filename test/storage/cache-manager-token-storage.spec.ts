import { createKeyv } from '@keyv/redis';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Test } from '@nestjs/testing';
import { Cache, createCache } from 'cache-manager';
import {
  CacheManagerTokenStorage,
  ClientCredentialsTokenProvider,
  TokenData,
  TokenManager,
} from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder, keysUnder, withRedisClient } from '../support/redis-keys';

function token(overrides: Partial<ConstructorParameters<typeof TokenData>[0]> = {}): TokenData {
  return new TokenData({
    accessToken: 'access-abc',
    tokenType: 'Bearer',
    expiresAt: new Date(Date.now() + 3_600_000),
    refreshToken: 'refresh-xyz',
    scope: 'read write',
    extra: { tenant: 't1', n: 3 },
    ...overrides,
  });
}

describe('CacheManagerTokenStorage over the in-memory cache', () => {
  it('round-trips a token and keys it as <keyPrefix>:<key>', async () => {
    const cache = createCache();
    const storage = new CacheManagerTokenStorage(cache, { keyPrefix: 'tokens' });
    await storage.set('svc', token());
    expect((await storage.get('svc'))?.accessToken).toBe('access-abc');
    expect(await cache.get('tokens:svc')).toMatchObject({ accessToken: 'access-abc' });
  });

  it('does not store a token that has already expired', async () => {
    const storage = new CacheManagerTokenStorage(createCache());
    await storage.set('svc', token({ expiresAt: new Date(Date.now() - 1) }));
    expect(await storage.get('svc')).toBeUndefined();
  });
});

describeRedis('CacheManagerTokenStorage on Redis (createKeyv)', () => {
  const namespace = uniqueKeyPrefix('cache-storage');
  const caches: Cache[] = [];

  function redisCache(): Cache {
    const cache = createCache({ stores: [createKeyv(redisUrl(), { namespace })] });
    caches.push(cache);
    return cache;
  }

  afterAll(async () => {
    await Promise.all(caches.map((cache) => cache.disconnect()));
    await deleteKeysUnder(namespace);
  });

  it('round-trips every TokenData field, dates included', async () => {
    const storage = new CacheManagerTokenStorage(redisCache());
    const original = token();
    await storage.set('round-trip', original);
    const read = await storage.get('round-trip');
    expect(read).toBeInstanceOf(TokenData);
    expect(read?.toJSON()).toEqual(original.toJSON());
    expect(read?.expiresAt?.getTime()).toBe(original.expiresAt?.getTime());
  });

  // What the storage decides is the TTL Redis gets; Redis expiring a key is Redis's job. Reading
  // the PTTL proves the first without waiting for the second.
  it('expires the entry with the token: Redis TTL = time to expiry', async () => {
    const storage = new CacheManagerTokenStorage(redisCache());
    const lifetime = 2 * 3_600_000;
    await storage.set('expiring', token({ expiresAt: new Date(Date.now() + lifetime) }));
    const pttl = await withRedisClient((c) => c.pTTL(`${namespace}::api_tokens:expiring`));
    // Lower bound generous for a loaded machine; the upper bound is the token's lifetime.
    expect(pttl).toBeGreaterThan(lifetime - 5_000);
    expect(pttl).toBeLessThanOrEqual(lifetime);
    expect(await storage.get('expiring')).toBeDefined();
  });

  it('uses an explicit ttlMs instead of the time to expiry', async () => {
    const storage = new CacheManagerTokenStorage(redisCache());
    await storage.set('short', token(), 40_000);
    const pttl = await withRedisClient((c) => c.pTTL(`${namespace}::api_tokens:short`));
    expect(pttl).toBeGreaterThan(35_000);
    expect(pttl).toBeLessThanOrEqual(40_000);
    expect(await storage.get('short')).toBeDefined();
  });

  it('lets Redis drop the entry when its TTL runs out', async () => {
    const storage = new CacheManagerTokenStorage(redisCache());
    await storage.set('gone-soon', token(), 40_000);
    // The end of its TTL, without waiting for it: an expiry time already past (PEXPIREAT).
    await withRedisClient((c) => c.pExpireAt(`${namespace}::api_tokens:gone-soon`, 1));
    expect(await storage.get('gone-soon')).toBeUndefined();
  });

  it('deletes', async () => {
    const storage = new CacheManagerTokenStorage(redisCache());
    await storage.set('gone', token());
    await storage.delete('gone');
    expect(await storage.get('gone')).toBeUndefined();
  });

  it('shares tokens between two separate caches (two processes) and writes <namespace>::<prefix>:<key>', async () => {
    const a = new CacheManagerTokenStorage(redisCache());
    const b = new CacheManagerTokenStorage(redisCache());
    await a.set('shared', token({ accessToken: 'from-a' }));
    expect((await b.get('shared'))?.accessToken).toBe('from-a');
    expect(await keysUnder(`${namespace}::api_tokens:shared`)).toEqual([
      `${namespace}::api_tokens:shared`,
    ]);
  });

  it('works on the CACHE_MANAGER of CacheModule.register({ stores: [createKeyv(url)] })', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CacheModule.register({ stores: [createKeyv(redisUrl(), { namespace })] })],
    }).compile();
    await moduleRef.init();
    try {
      const storage = new CacheManagerTokenStorage(moduleRef.get<Cache>(CACHE_MANAGER));
      await storage.set('nest', token({ accessToken: 'via-nest' }));
      const other = new CacheManagerTokenStorage(redisCache());
      expect((await other.get('nest'))?.accessToken).toBe('via-nest');
    } finally {
      await moduleRef.close(); // CacheModule disconnects its own stores
    }
  });

  // Another writer (a foreign or older version) left an unexpired entry that cannot be sent: before,
  // every request in every process failed (a TypeError) or went out with the line break stripped.
  it.each([
    ['a tokenType that is not a string', { accessToken: 'foreign-token', tokenType: 5 }],
    ['a line break in its access token', { accessToken: 'foreign-token\r\nX-Evil: 1' }],
    ['a space in its token type', { accessToken: 'foreign-token', tokenType: 'Bearer x' }],
  ])(
    'reads a foreign entry with %s as a miss: the manager fetches a new token',
    async (_what, entry) => {
      const endpoint = await FakeTokenEndpoint.start({ clients: { orders: 'orders-s3cret' } });
      try {
        const provider = new ClientCredentialsTokenProvider({
          tokenUrl: endpoint.tokenUrl,
          clientId: 'orders',
          clientSecret: 'orders-s3cret',
          serviceName: 'orders',
        });
        const storage = new CacheManagerTokenStorage(redisCache());
        const manager = new TokenManager(provider, storage);
        const redisKey = `${namespace}::api_tokens:${manager.storageKey}`;
        const foreign = {
          ...entry,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        };
        await withRedisClient((c) =>
          c.set(redisKey, JSON.stringify({ value: foreign }), {
            expiration: { type: 'EX', value: 3600 },
          }),
        );
        expect(await storage.get(manager.storageKey)).toBeUndefined();

        const fresh = await manager.getToken();
        expect(fresh.accessToken).not.toBe('foreign-token');
        expect(endpoint.isValid(fresh.accessToken)).toBe(true);
        expect(fresh.authorizationHeader).toBe(`Bearer ${fresh.accessToken}`);
        expect(endpoint.tokenRequests).toBe(1);
        // The fresh token replaced the entry, so every other process reads it too.
        const other = new CacheManagerTokenStorage(redisCache());
        expect((await other.get(manager.storageKey))?.accessToken).toBe(fresh.accessToken);
      } finally {
        await endpoint.close();
      }
    },
  );

  it('never disconnects the cache it was given', async () => {
    const cache = redisCache();
    const storage = new CacheManagerTokenStorage(cache);
    await storage.set('still-open', token());
    await storage.delete('still-open');
    expect(await cache.set('probe', 1)).toBe(1);
  });
});
