import { Logger } from '@nestjs/common';
import { TokenData, TokenDataJson } from '../tokens/token-data';
import { withDeadline } from './deadline';
import { TokenStorage } from './token-storage.interface';

/**
 * What token storage uses of cache-manager 7's `Cache` (Nest's `CACHE_MANAGER`), declared here so
 * the published `.d.ts` never imports the optional `cache-manager` package: an app without it
 * would fail to type-check them (TS2307). cache-manager's own `Cache` satisfies it.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttl?: number): Promise<T>;
  del(key: string): Promise<boolean>;
  readonly stores?: readonly unknown[];
  on?(event: 'get' | 'set' | 'del', listener: (data: { error?: unknown }) => void): unknown;
}

/** The errors seen so far on one cache; a call that saw `errorCount` change did not succeed. */
interface CacheHealth {
  errorCount: number;
  lastError: Error;
}

const healthByCache = new WeakMap<Cache, CacheHealth>();

/**
 * The errors of one cache, shared by every storage over it. cache-manager 7 and Keyv swallow most
 * store errors: `get` resolves `undefined`, and the failure only shows as an `'error'` event on the
 * Keyv store (or a `get` event carrying `error` when the store throws). Counting those events lets
 * a call tell a real miss from a failed read.
 */
function healthOf(cache: Cache): CacheHealth {
  const known = healthByCache.get(cache);
  if (known) return known;
  const health: CacheHealth = { errorCount: 0, lastError: new Error('cache store error') };
  healthByCache.set(cache, health);
  const onError = (error: unknown) => {
    health.errorCount += 1;
    if (error instanceof Error) health.lastError = error;
  };
  for (const store of cache.stores ?? []) {
    const events = store as { on?(event: 'error', listener: (error: unknown) => void): unknown };
    if (typeof events?.on === 'function') events.on('error', onError);
  }
  for (const event of ['get', 'set', 'del'] as const) {
    cache.on?.(event, (data) => {
      if (data.error !== undefined) onError(data.error);
    });
  }
  return health;
}

export interface CacheManagerTokenStorageOptions {
  /** Prepended to every key as `<keyPrefix>:<key>`. Default `api_tokens`. */
  keyPrefix?: string;
  /** A store call slower than this counts as an outage: see the class comment. Default 500. */
  operationTimeoutMs?: number;
}

/**
 * Tokens in Nest's cache-manager 7 (`CACHE_MANAGER`); with a Redis store every process shares
 * them. A store that fails (even where Keyv hides it as a miss) or is slower than
 * `operationTimeoutMs` makes the call reject; the TokenManager turns that into a miss, logged
 * once per outage. The cache is the caller's: it is never disconnected here.
 */
export class CacheManagerTokenStorage implements TokenStorage {
  private readonly logger = new Logger(CacheManagerTokenStorage.name);
  private readonly keyPrefix: string;
  private readonly timeoutMs: number;
  private readonly health: CacheHealth;

  constructor(
    private readonly cache: Cache,
    options: CacheManagerTokenStorageOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? 'api_tokens';
    this.timeoutMs = options.operationTimeoutMs ?? 500;
    this.health = healthOf(cache);
  }

  async get(key: string): Promise<TokenData | undefined> {
    const value = await this.call('get', () => this.cache.get<unknown>(this.cacheKey(key)));
    const token = value === undefined || value === null ? undefined : this.parse(value);
    return token && !token.isExpired() ? token : undefined;
  }

  async set(key: string, token: TokenData, ttlMs?: number): Promise<void> {
    const ttl = ttlMs ?? token.expiresInMs();
    // Nothing to keep; what the key held before is replaced all the same.
    if (ttl !== undefined && ttl <= 0) return this.delete(key);
    await this.call('set', () => this.cache.set(this.cacheKey(key), token.toJSON(), ttl));
  }

  async delete(key: string): Promise<void> {
    await this.call('del', () => this.cache.del(this.cacheKey(key)));
  }

  private cacheKey(key: string): string {
    return `${this.keyPrefix}:${key}`;
  }

  /** The store call, rejecting when it fails, is slow, or failed in a way Keyv hid. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const errorsBefore = this.health.errorCount;
    const value = await withDeadline(run(), this.timeoutMs, `cache ${operation}`);
    // Keyv turns a failed read into `undefined` and reports it only as an 'error' event.
    if (this.health.errorCount !== errorsBefore && value === undefined) {
      throw this.health.lastError;
    }
    return value;
  }

  private parse(stored: unknown): TokenData | undefined {
    try {
      return TokenData.fromJSON(stored as TokenDataJson | string);
    } catch {
      // Not ours or from an incompatible version: a miss, so a fresh token replaces it.
      this.logger.debug('ignored an unreadable token cache entry');
      return undefined;
    }
  }
}
