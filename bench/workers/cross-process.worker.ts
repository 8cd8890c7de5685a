import { createKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import { CacheManagerTokenStorage, RedisTokenLock } from '../../lib';
import { runAllAtOnce } from '../load';
import { createForgeClientStack } from '../stacks/forge-client.stack';
import { CrossProcessPhase, CrossProcessResult, WORKER_ENV } from './cross-process.contract';
import { servePhases } from './process-group';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * One of the processes: per phase, a ForgeClient whose tokens live in Redis through
 * cache-manager, with or without the Redis lock. It connects while preparing, then fires all its
 * calls at once on the start signal.
 */
servePhases(
  async (phase: CrossProcessPhase) => {
    const redisUrl = requiredEnv(WORKER_ENV.redisUrl);
    const cache = createCache({ stores: [createKeyv(redisUrl, { namespace: phase.namespace })] });
    const storage = new CacheManagerTokenStorage(cache);
    const lock = phase.withLock
      ? RedisTokenLock.fromUrl(redisUrl, { keyPrefix: `${phase.namespace}lock:` })
      : undefined;
    const stack = createForgeClientStack({
      origin: requiredEnv(WORKER_ENV.origin),
      tokenUrl: requiredEnv(WORKER_ENV.tokenUrl),
      storage,
      lock,
    });
    await storage.get('connect'); // the Redis connection is made before the start signal
    return { phase, cache, lock, stack };
  },
  async ({ phase, cache, lock, stack }): Promise<CrossProcessResult> => {
    try {
      const { failures } = await runAllAtOnce(phase.calls, () => stack.get('/secure'));
      return { failures };
    } finally {
      await stack.close();
      await lock?.close();
      await cache.disconnect();
    }
  },
);
