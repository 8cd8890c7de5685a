import { createClient } from '@keyv/redis';
import { redisUrl } from './redis';

export function newRedisClient(url: string) {
  return createClient({ url });
}

export type TestRedisClient = ReturnType<typeof newRedisClient>;

/** Keys under `prefix` on the shared Redis, for assertions and for cleaning up after a suite. */
export async function withRedisClient<T>(
  use: (client: TestRedisClient) => Promise<T>,
  url = redisUrl(),
): Promise<T> {
  const client = newRedisClient(url);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

export function keysUnder(prefix: string, url = redisUrl()): Promise<string[]> {
  return withRedisClient((client) => client.keys(`${prefix}*`), url);
}

export function deleteKeysUnder(prefix: string, url = redisUrl()): Promise<void> {
  return withRedisClient(async (client) => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
  }, url);
}
