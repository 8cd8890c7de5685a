/**
 * A client's `lock` in plain options (`RequestForgeModule`): the module opens one `RedisTokenLock`
 * per distinct `url` and closes it on shutdown.
 */
export interface RedisLockConfig {
  type: 'redis';
  /** `redis://[user:password@]host:port[/db]` or `rediss://...`. */
  url: string;
  /** Prepended to the token's storage key. Default `api_tokens:lock:`. */
  keyPrefix?: string;
}
