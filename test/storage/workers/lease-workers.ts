import { createKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import {
  CacheManagerTokenStorage,
  RedisTokenLock,
  TokenData,
  TokenManager,
  TokenProvider,
} from '../../../lib';

export interface LeaseWorkerInput {
  redisUrl: string;
  namespace: string;
  serviceName: string;
}

export interface LeaseWaiterResult {
  accessToken: string;
  waitedMs: number;
}

/**
 * A TokenManager on Redis storage and the Redis lock (default 5 s lease), with a provider whose
 * worst case is 30 s: what one process of an app has. `fetchToken` decides what the fetch does.
 */
export async function leaseProcess(input: LeaseWorkerInput, fetchToken: () => Promise<TokenData>) {
  const cache = createCache({
    stores: [createKeyv(input.redisUrl, { namespace: input.namespace })],
  });
  const storage = new CacheManagerTokenStorage(cache);
  const lock = RedisTokenLock.fromUrl(input.redisUrl, { keyPrefix: `${input.namespace}lock:` });
  const provider: TokenProvider = {
    serviceName: input.serviceName,
    fetchTimeoutMs: 30_000,
    fetchToken,
  };
  await storage.get('warm-up'); // connect before the work starts
  const manager = new TokenManager(provider, storage, { lock });
  const close = async () => {
    await lock.close();
    await cache.disconnect();
  };
  return { manager, close };
}
