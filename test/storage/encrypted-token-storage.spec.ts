import { createKeyv } from '@keyv/redis';
import { Cache, createCache } from 'cache-manager';
import { randomBytes } from 'node:crypto';
import { CacheManagerTokenStorage, EncryptedTokenStorage, TokenData } from '../../lib';
import { EncryptedTokenStorageOptions } from '../../lib/storage/encrypted-token-storage';
import { LogCapture } from '../support/log-capture';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder, withRedisClient } from '../support/redis-keys';
import { expectNoSecrets } from '../support/secrets';

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('hex');
const K0 = randomBytes(32);

const ACCESS = 'at-9f8e7d6c5b4a39281706-access';
const REFRESH = 'rt-0a1b2c3d4e5f60718293-refresh';
const SCOPE = 'orders:read orders:write';
// Long enough that random ciphertext never contains it by chance (a 2-letter value did, 1 in 14).
const TENANT = 'tenant-4b7e1c-extra';

function token(accessToken = ACCESS): TokenData {
  return new TokenData({
    accessToken,
    tokenType: 'Bearer',
    expiresAt: new Date(Date.now() + 3_600_000),
    refreshToken: REFRESH,
    scope: SCOPE,
    extra: { tenant: TENANT },
  });
}

describeRedis('EncryptedTokenStorage on Redis (Keyv + @keyv/redis)', () => {
  const namespace = uniqueKeyPrefix('encrypted-storage');
  const caches: Cache[] = [];
  let logs: LogCapture;

  /** A storage as one process builds it: its own cache connection, the given keys. */
  function storage(options: EncryptedTokenStorageOptions): EncryptedTokenStorage {
    const cache = createCache({ stores: [createKeyv(redisUrl(), { namespace })] });
    caches.push(cache);
    return new EncryptedTokenStorage(new CacheManagerTokenStorage(cache), options);
  }
  const redisKey = (key: string) => `${namespace}::api_tokens:${key}`;
  const raw = (key: string) => withRedisClient((client) => client.get(redisKey(key)));
  /** The sealed value inside Keyv's JSON entry. */
  const sealedOf = (entry: string | null): string =>
    (JSON.parse(entry ?? 'null') as { value: { accessToken: string } }).value.accessToken;

  beforeEach(() => {
    logs = LogCapture.install();
  });
  afterEach(() => LogCapture.uninstall());
  afterAll(async () => {
    await Promise.all(caches.map((cache) => cache.disconnect()));
    await deleteKeysUnder(namespace);
  });

  it('keeps neither the access token, the refresh token nor the scope readable in Redis', async () => {
    const encrypted = storage({ keys: { k1: K1 }, activeKid: 'k1' });
    await encrypted.set('svc', token());

    const entry = await raw('svc');
    expect(entry).not.toBeNull();
    for (const secret of [ACCESS, REFRESH, SCOPE, 'orders:read', TENANT]) {
      expect(entry).not.toContain(secret);
    }
    expect(sealedOf(entry)).toMatch(
      /^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/,
    );
    // Control: the same token through the plain storage is readable, so the check means something.
    const plain = new CacheManagerTokenStorage(storageCache());
    await plain.set('plain', token());
    expect(await raw('plain')).toContain(ACCESS);
    await plain.delete('plain');
  });

  it('round-trips every TokenData field, also from another process', async () => {
    const original = token();
    await storage({ keys: { k1: K1 }, activeKid: 'k1' }).set('round-trip', original);

    const read = await storage({ keys: { k1: K1 }, activeKid: 'k1' }).get('round-trip');

    expect(read).toBeInstanceOf(TokenData);
    expect(read?.toJSON()).toEqual(original.toJSON());
  });

  it('writes a fresh IV per value: the same token twice gives two different values', async () => {
    const encrypted = storage({ keys: { k1: K1 }, activeKid: 'k1' });
    await encrypted.set('iv-a', token());
    await encrypted.set('iv-b', token());
    const [a, b] = [sealedOf(await raw('iv-a')), sealedOf(await raw('iv-b'))];
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toBe(b);
  });

  it('keeps the entry TTL of the token (the envelope carries its expiry)', async () => {
    const encrypted = storage({ keys: { k1: K1 }, activeKid: 'k1' });
    const soon = new TokenData({ accessToken: ACCESS, expiresAt: new Date(Date.now() + 5_000) });
    await encrypted.set('ttl', soon);
    const pttl = await withRedisClient((client) => client.pTTL(redisKey('ttl')));
    expect(pttl).toBeGreaterThan(1_000);
    expect(pttl).toBeLessThanOrEqual(5_000);
  });

  it('treats a value copied to another key as a miss (the storage key is authenticated)', async () => {
    const encrypted = storage({ keys: { k1: K1 }, activeKid: 'k1' });
    await encrypted.set('orders', token());
    await withRedisClient(async (client) => {
      await client.set(redisKey('payments'), (await client.get(redisKey('orders'))) ?? '');
    });

    expect(await encrypted.get('payments')).toBeUndefined();
    expect((await encrypted.get('orders'))?.accessToken).toBe(ACCESS);
    // Named with its key id, so an operator rotating keys sees which key failed.
    expect(logs.text).toMatch(/"payments": it does not decrypt.*\(key id "k1"\)/);
  });

  it('after rotating activeKid reads the old values and writes new ones with the new kid', async () => {
    const before = storage({ keys: { k1: K1 }, activeKid: 'k1' });
    await before.set('rotating', token('at-written-with-k1-000000'));

    const after = storage({ keys: { k1: K1, k2: K2 }, activeKid: 'k2' });
    expect((await after.get('rotating'))?.accessToken).toBe('at-written-with-k1-000000');

    await after.set('rotating', token('at-written-with-k2-000000'));
    expect(sealedOf(await raw('rotating'))).toMatch(/^v1\.k2\./);
    expect((await after.get('rotating'))?.accessToken).toBe('at-written-with-k2-000000');
    // A process still on the old keys misses instead of failing: one token request, no outage.
    expect(await before.get('rotating')).toBeUndefined();
    expect(logs.text).toMatch(/names a key id that is not in keys .*\(key id "k2"\)/);
  });

  it('treats a value under an unknown kid as a miss, logged once without the value', async () => {
    await storage({ keys: { k0: K0 }, activeKid: 'k0' }).set('unknown-kid', token());
    const sealed = sealedOf(await raw('unknown-kid'));
    const current = storage({ keys: { k1: K1 }, activeKid: 'k1' });

    expect(await current.get('unknown-kid')).toBeUndefined();
    expect(await current.get('unknown-kid')).toBeUndefined();
    expect(await current.exists('unknown-kid')).toBe(false);

    expect(logs.count('warn', 'EncryptedTokenStorage')).toBe(1);
    expect(logs.text).toContain('key id "k0"');
    expectNoSecrets(logs.renderings, [sealed, sealed.split('.')[3], ACCESS, REFRESH, K1]);
  });

  it('treats a tampered value as a miss: ciphertext, tag, IV or a relabelled kid', async () => {
    const encrypted = storage({ keys: { k1: K1, k2: K2 }, activeKid: 'k1' });
    await encrypted.set('tampered', token());
    const entry = (await raw('tampered')) ?? '';
    const [version, kid, iv, ciphertext, tag] = sealedOf(entry).split('.');
    const flip = (part: string) => `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
    const variants = [
      [version, kid, iv, flip(ciphertext), tag],
      [version, kid, iv, ciphertext, flip(tag)],
      [version, kid, flip(iv), ciphertext, tag],
      [version, 'k2', iv, ciphertext, tag],
    ];

    for (const parts of variants) {
      const forged = entry.replace(sealedOf(entry), parts.join('.'));
      await withRedisClient((client) => client.set(redisKey('tampered'), forged));
      expect(await encrypted.get('tampered')).toBeUndefined();
    }
    expect(logs.count('warn', 'EncryptedTokenStorage')).toBe(1);
    expect(logs.text).toMatch(/"tampered": it does not decrypt/);
  });

  it('treats a value not in the format, such as a plaintext token, as a miss', async () => {
    await new CacheManagerTokenStorage(storageCache()).set('plaintext', token());
    const encrypted = storage({ keys: { k1: K1 }, activeKid: 'k1' });

    expect(await encrypted.get('plaintext')).toBeUndefined();
    await withRedisClient(async (client) => {
      const entry = (await client.get(redisKey('plaintext'))) ?? '';
      const envelope = JSON.parse(entry) as { value: { tokenType: string; accessToken: string } };
      envelope.value = { tokenType: 'request-forge-encrypted', accessToken: 'v1.k1.short.x.y' };
      await client.set(redisKey('plaintext'), JSON.stringify(envelope));
    });
    expect(await encrypted.get('plaintext')).toBeUndefined();

    expect(logs.count('warn', 'EncryptedTokenStorage')).toBe(1);
    expect(logs.text).toMatch(/"plaintext": it is not an encrypted value/);
    expectNoSecrets(logs.renderings, [ACCESS, REFRESH]);
  });

  it('deletes through the inner storage', async () => {
    const encrypted = storage({ keys: { k1: K1 }, activeKid: 'k1' });
    await encrypted.set('gone', token());
    await encrypted.delete('gone');
    expect(await raw('gone')).toBeNull();
    expect(await encrypted.get('gone')).toBeUndefined();
  });

  function storageCache(): Cache {
    const cache = createCache({ stores: [createKeyv(redisUrl(), { namespace })] });
    caches.push(cache);
    return cache;
  }
});
