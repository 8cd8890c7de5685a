import { RedisLockClient } from './redis-lock-client';

export interface OwnedRedisLockClient extends RedisLockClient {
  close(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * A client of our own for a URL. `@keyv/redis` is loaded only here, so apps that never use the
 * Redis lock do not need it installed.
 */
export async function createOwnedRedisClient(url: string): Promise<OwnedRedisLockClient> {
  const { createClient } = await import('@keyv/redis');
  return createClient({
    url,
    // While Redis is down, commands fail at once instead of queueing until it is back: the lock
    // then lets the caller fetch directly.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
    },
  });
}
