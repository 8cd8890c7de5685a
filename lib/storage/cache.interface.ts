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
