import { createCache } from 'cache-manager';
import { CacheManagerTokenStorage, InMemoryTokenStorage, TokenData, TokenStorage } from '../../lib';

function token(accessToken: string, expiresInMs = 3_600_000): TokenData {
  return new TokenData({ accessToken, expiresAt: new Date(Date.now() + expiresInMs) });
}

const STORAGES: Array<[string, () => TokenStorage]> = [
  ['InMemoryTokenStorage', () => new InMemoryTokenStorage()],
  ['CacheManagerTokenStorage', () => new CacheManagerTokenStorage(createCache())],
];

describe.each(STORAGES)('%s.set replaces what the key held', (_, create) => {
  it('returns the newer token', async () => {
    const storage = create();
    await storage.set('svc', token('first'));
    await storage.set('svc', token('second'), 60_000);
    expect((await storage.get('svc'))?.accessToken).toBe('second');
  });

  it.each([0, -1])(
    'with ttlMs %d leaves nothing under the key, not even the earlier token',
    async (ttl) => {
      const storage = create();
      await storage.set('svc', token('earlier'));
      await storage.set('svc', token('now-expired'), ttl);
      expect(await storage.get('svc')).toBeUndefined();
    },
  );

  it('with a token that has already expired leaves nothing under the key', async () => {
    const storage = create();
    await storage.set('svc', token('earlier'));
    await storage.set('svc', token('expired', -1));
    expect(await storage.get('svc')).toBeUndefined();
  });
});
