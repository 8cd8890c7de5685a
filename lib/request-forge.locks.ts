import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigProblem } from './client/config-validation';
import { PrefixedTokenLock } from './storage/prefixed-token-lock';
import { RedisLockConfig } from './storage/redis-lock-config';
import { DEFAULT_REDIS_LOCK_KEY_PREFIX, RedisTokenLock } from './storage/redis-token-lock';
import { TokenLock } from './storage/token-lock.interface';

const REDIS_LOCK_KEYS = new Set(['type', 'url', 'keyPrefix']);

function isTokenLock(value: unknown): value is TokenLock {
  return typeof (value as Partial<TokenLock> | undefined)?.runExclusive === 'function';
}

/**
 * The Redis locks of one module instance: one `RedisTokenLock` (one connection) per distinct URL,
 * whatever the clients' key prefixes, closed when the module is destroyed. A `TokenLock` instance
 * given in the options belongs to the app and is left alone.
 */
@Injectable()
export class RequestForgeLocks implements OnModuleDestroy {
  private readonly redisLocks = new Map<string, RedisTokenLock>();

  /** The lock for a client's `lock` option; fails at bootstrap on a value it cannot use. */
  forClient(clientName: string, option: unknown): TokenLock | undefined {
    if (option === undefined) return undefined;
    if (isTokenLock(option)) return option;
    const config = checkRedisLockConfig(clientName, option);
    return new PrefixedTokenLock(
      this.redisLockFor(config.url),
      config.keyPrefix ?? DEFAULT_REDIS_LOCK_KEY_PREFIX,
    );
  }

  async onModuleDestroy(): Promise<void> {
    const locks = [...this.redisLocks.values()];
    this.redisLocks.clear();
    await Promise.all(locks.map((lock) => lock.close()));
  }

  private redisLockFor(url: string): RedisTokenLock {
    let lock = this.redisLocks.get(url);
    if (!lock) {
      // The prefix is added per client by PrefixedTokenLock.
      lock = RedisTokenLock.fromUrl(url, { keyPrefix: '' });
      this.redisLocks.set(url, lock);
    }
    return lock;
  }
}

function checkRedisLockConfig(clientName: string, option: unknown): RedisLockConfig {
  const problem = new ConfigProblem(clientName);
  const expected = "must be { type: 'redis', url, keyPrefix? } or a TokenLock";
  if (typeof option !== 'object' || option === null) problem.fail('lock', expected);
  const config = option as Record<string, unknown>;
  if (config.type !== 'redis') problem.fail('lock.type', `must be 'redis' (lock ${expected})`);
  for (const key of Object.keys(config)) {
    if (!REDIS_LOCK_KEYS.has(key)) problem.fail(`lock.${key}`, 'is not a known option');
  }
  const url = problem.requireString('lock.url', config.url);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    // The URL may carry a password: never quote it.
    return problem.fail('lock.url', 'must be a redis:// or rediss:// URL');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    problem.fail('lock.url', `must use redis or rediss, got "${protocol}"`);
  }
  if (config.keyPrefix !== undefined && typeof config.keyPrefix !== 'string') {
    problem.fail('lock.keyPrefix', 'must be a string');
  }
  return {
    type: 'redis',
    url,
    ...(config.keyPrefix !== undefined ? { keyPrefix: config.keyPrefix as string } : {}),
  };
}
