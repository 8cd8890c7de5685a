import { createClient } from '@keyv/redis';
import { RedisTokenLock } from 'nestjs-request-forge';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Its own connection, closed by close() / onModuleDestroy:
export const lock = RedisTokenLock.fromUrl(url);

// Or on a node-redis v5 client you own (left open):
const redisClient = createClient({ url });
export const sharedClientLock = new RedisTokenLock(redisClient, { keyPrefix: 'api_tokens:lock:' });
