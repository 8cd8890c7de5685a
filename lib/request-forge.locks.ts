import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { OptionChecker } from './errors/option-checker';
import { DEFAULT_REDIS_LOCK_KEY_PREFIX, RedisTokenLock } from './storage/redis-token-lock';
import { TokenLock } from './storage/token-lock.interface';

const REDIS_LOCK_KEYS = ['type', 'url', 'keyPrefix'];

function isTokenLock(value: unknown): value is TokenLock {
  return typeof (value as Partial<TokenLock> | undefined)?.runExclusive === 'function';
}

/**
 * One `RedisTokenLock` (one connection) per distinct URL, whatever the clients' key prefixes,
 * closed with the module; a `TokenLock` instance from the options is the app's to close.
 */
@Injectable()
export class RequestForgeLocks implements OnModuleDestroy {
  private readonly redisLocks = new Map<string, RedisTokenLock>();

  /** The lock for a client's `lock` option; fails at bootstrap on a value it cannot use. */
  forClient(clientName: string, option: unknown): TokenLock | undefined {
    if (option === undefined || isTokenLock(option)) return option;
    const { url, keyPrefix } = checkRedisLockConfig(clientName, option);
    // Without a prefix of its own: each client's is added below, so clients with different
    // prefixes share it.
    const lock = this.redisLocks.get(url) ?? RedisTokenLock.fromUrl(url, { keyPrefix: '' });
    this.redisLocks.set(url, lock);
    return { runExclusive: (key, work) => lock.runExclusive(keyPrefix + key, work) };
  }

  async onModuleDestroy(): Promise<void> {
    const locks = [...this.redisLocks.values()];
    this.redisLocks.clear();
    await Promise.all(locks.map((lock) => lock.close()));
  }
}

/** Checks a client's `lock` option without connecting: `{ type: 'redis', ... }` or a lock. */
export function checkLockOption(clientName: string, option: unknown): void {
  if (option !== undefined && !isTokenLock(option)) checkRedisLockConfig(clientName, option);
}

function checkRedisLockConfig(clientName: string, option: unknown) {
  const check = OptionChecker.forClient(clientName);
  const config = check.record('lock', option);
  const lock = check.at('lock');
  lock.oneOf('type', config.type, ['redis']);
  lock.knownKeys(config, REDIS_LOCK_KEYS);
  const url = lock.string('url', config.url);
  // The URL may carry a password: never quote it.
  if (!URL.canParse(url)) lock.fail('url', 'must be a redis:// or rediss:// URL');
  const { protocol } = new URL(url);
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    lock.fail('url', `must use redis or rediss, got "${protocol}"`);
  }
  const keyPrefix = lock.optionalString('keyPrefix', config.keyPrefix);
  return { url, keyPrefix: keyPrefix ?? DEFAULT_REDIS_LOCK_KEY_PREFIX };
}
