import type { Cache } from './cache.interface';

/**
 * The errors of one cache-manager cache, shared by every storage over it.
 *
 * cache-manager 7 and Keyv swallow most store errors: `get` resolves `undefined`, and the failure
 * only shows as an `'error'` event on the Keyv store (or a `get` event carrying `error` when the
 * store throws). Counting those events lets a call tell a real miss from a failed read.
 */
export class CacheHealth {
  private static readonly byCache = new WeakMap<object, CacheHealth>();

  /** Number of errors seen so far; a call that saw it change did not really succeed. */
  errorCount = 0;
  /** The last error the cache reported. */
  lastError: Error = new Error('cache store error');

  static of(cache: Cache): CacheHealth {
    const health = CacheHealth.byCache.get(cache) ?? new CacheHealth(cache);
    CacheHealth.byCache.set(cache, health);
    return health;
  }

  private constructor(cache: Cache) {
    const onError = (error: unknown) => this.recordError(error);
    for (const store of cache.stores ?? []) {
      const events = store as { on?(event: 'error', listener: (error: unknown) => void): unknown };
      if (typeof events?.on === 'function') events.on('error', onError);
    }
    const onCacheEvent = (data: { error?: unknown }) => {
      if (data.error !== undefined) onError(data.error);
    };
    cache.on?.('get', onCacheEvent);
    cache.on?.('set', onCacheEvent);
    cache.on?.('del', onCacheEvent);
  }

  private recordError(error: unknown): void {
    this.errorCount += 1;
    if (error instanceof Error) this.lastError = error;
  }
}
