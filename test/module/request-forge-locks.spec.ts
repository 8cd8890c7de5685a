import { RedisTokenLock, TokenLock } from '../../lib';
import { RequestForgeLocks } from '../../lib/request-forge.locks';
import { PrefixedTokenLock } from '../../lib/storage/prefixed-token-lock';
import { ExclusiveWork } from '../../lib/storage/token-lock.interface';

describe('RequestForgeLocks: the Redis locks of one module instance', () => {
  afterEach(() => jest.restoreAllMocks());

  it('opens one RedisTokenLock per distinct URL, whatever the key prefixes, and closes each on destroy', async () => {
    const fromUrl = jest.spyOn(RedisTokenLock, 'fromUrl');
    const close = jest.spyOn(RedisTokenLock.prototype, 'close');
    const locks = new RequestForgeLocks();

    locks.forClient('a', { type: 'redis', url: 'redis://127.0.0.1:6379' });
    locks.forClient('b', { type: 'redis', url: 'redis://127.0.0.1:6379', keyPrefix: 'b:' });
    locks.forClient('c', { type: 'redis', url: 'redis://127.0.0.1:6380' });
    await locks.onModuleDestroy();

    expect(fromUrl.mock.calls.map(([url]) => url)).toEqual([
      'redis://127.0.0.1:6379',
      'redis://127.0.0.1:6380',
    ]);
    expect(close).toHaveBeenCalledTimes(2);
  });

  it('returns a TokenLock instance as given, and no lock without the option', async () => {
    const own: TokenLock = { runExclusive: (_key, work) => work.fetch() };
    const locks = new RequestForgeLocks();

    expect(locks.forClient('a', own)).toBe(own);
    expect(locks.forClient('b', undefined)).toBeUndefined();
  });

  it('PrefixedTokenLock runs the work under <prefix><key>', async () => {
    const keys: string[] = [];
    const inner = {
      runExclusive: <T>(key: string, work: ExclusiveWork<T>) => {
        keys.push(key);
        return work.fetch();
      },
    };
    const work = { fetch: async () => 1, poll: async () => undefined, fetchTimeoutMs: 1_000 };

    await expect(
      new PrefixedTokenLock(inner, 'app:lock:').runExclusive('svc:1', work),
    ).resolves.toBe(1);
    expect(keys).toEqual(['app:lock:svc:1']);
  });
});
