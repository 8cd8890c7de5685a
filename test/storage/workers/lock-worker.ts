import { createKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import { CacheManagerTokenStorage, RedisTokenLock, TokenData } from '../../../lib';
import { serveChildTask } from '../../support/child-processes';

export interface LockWorkerInput {
  redisUrl: string;
  namespace: string;
  key: string;
}

export interface LockWorkerResult {
  fetched: boolean;
  accessToken: string;
}

serveChildTask(
  async (input: LockWorkerInput) => {
    const cache = createCache({
      stores: [createKeyv(input.redisUrl, { namespace: input.namespace })],
    });
    const lock = RedisTokenLock.fromUrl(input.redisUrl, { keyPrefix: `${input.namespace}lock:` });
    const storage = new CacheManagerTokenStorage(cache);
    await storage.get('warm-up'); // connect before the start signal
    return { input, cache, lock, storage };
  },
  async ({ input, lock, storage }): Promise<LockWorkerResult> => {
    let fetched = false;
    const token = await lock.runExclusive<TokenData>(input.key, {
      fetchTimeoutMs: 2_000,
      fetch: async () => {
        fetched = true;
        await new Promise((resolve) => setTimeout(resolve, 200));
        const fresh = new TokenData({
          accessToken: `from-${process.pid}`,
          expiresAt: new Date(Date.now() + 60_000),
        });
        await storage.set(input.key, fresh);
        return fresh;
      },
      poll: () => storage.get(input.key),
    });
    return { fetched, accessToken: token.accessToken };
  },
  async ({ lock, cache }) => {
    await lock.close();
    await cache.disconnect();
  },
);
