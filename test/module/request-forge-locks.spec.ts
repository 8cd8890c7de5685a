import { RedisTokenLock, TokenLock } from '../../lib';
import { RequestForgeLocks } from '../../lib/request-forge.locks';
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

  it("runs each client's work under <keyPrefix><key> on the shared lock of its URL", async () => {
    const keys: string[] = [];
    jest
      .spyOn(RedisTokenLock.prototype, 'runExclusive')
      .mockImplementation(<T>(key: string, work: ExclusiveWork<T>) => {
        keys.push(key);
        return work.fetch();
      });
    const locks = new RequestForgeLocks();
    const work = { fetch: async () => 1, poll: async () => undefined, fetchTimeoutMs: 1_000 };
    const url = 'redis://127.0.0.1:6379';

    const own = locks.forClient('a', { type: 'redis', url, keyPrefix: 'app:lock:' });
    const byDefault = locks.forClient('b', { type: 'redis', url });
    await expect(own?.runExclusive('svc:1', work)).resolves.toBe(1);
    await expect(byDefault?.runExclusive('svc:1', work)).resolves.toBe(1);
    await locks.onModuleDestroy();

    expect(keys).toEqual(['app:lock:svc:1', 'api_tokens:lock:svc:1']);
  });
});
