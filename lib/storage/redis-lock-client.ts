/**
 * The part of a node-redis v5 client (`createClient` from `@redis/client`, re-exported by
 * `@keyv/redis`) the Redis lock uses. Any client with these methods fits.
 */
export interface RedisLockClient {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'PX'; value: number } },
  ): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}
