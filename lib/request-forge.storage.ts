import { Logger } from '@nestjs/common';
import { ForgeClientOptions } from './client/client-options.interface';
import { ConfigurationException } from './errors';
import type { Cache } from 'cache-manager';
import { CacheManagerTokenStorage } from './storage/cache-manager-token-storage';
import { InMemoryTokenStorage } from './storage/in-memory-token-storage';
import { TokenStorage } from './storage/token-storage.interface';

/** What the module needs of cache-manager's `Cache` (kept structural: the package is optional). */
export type StoreCache = object;

const logger = new Logger('RequestForgeModule');
let loggedMemoryFallback = false;

function isTokenStorage(value: unknown): value is TokenStorage {
  const v = value as Partial<TokenStorage> | undefined;
  return !!v && typeof v.get === 'function' && typeof v.set === 'function';
}

/**
 * A client's token storage: the one it names, the app's CACHE_MANAGER when a CacheModule is
 * visible, else per-process memory (said once per process, at bootstrap).
 */
export function resolveTokenStorage(
  clientName: string,
  options: ForgeClientOptions | undefined,
  cache: StoreCache | undefined,
): TokenStorage {
  const choice = options?.storage;
  if (isTokenStorage(choice)) return choice;
  if (choice === 'memory') return new InMemoryTokenStorage();
  if (choice !== undefined && choice !== 'cache') {
    throw new ConfigurationException(
      `Client "${clientName}": storage must be 'memory', 'cache' or a TokenStorage`,
      { clientName, field: 'storage' },
    );
  }
  if (cache) return cacheStorage(cache);
  if (choice === 'cache') {
    throw new ConfigurationException(
      `Client "${clientName}": storage 'cache' needs a CacheModule (CACHE_MANAGER) visible to ` +
        'RequestForgeModule, e.g. CacheModule.register({ isGlobal: true })',
      { clientName, field: 'storage' },
    );
  }
  if (!loggedMemoryFallback) {
    loggedMemoryFallback = true;
    logger.log('No CacheModule found: tokens are kept in memory, per process');
  }
  return new InMemoryTokenStorage();
}

/** One storage per cache: its clients share one outage log (a warning per outage, not per client). */
const storageByCache = new WeakMap<StoreCache, TokenStorage>();

function cacheStorage(cache: StoreCache): TokenStorage {
  let storage = storageByCache.get(cache);
  if (!storage) {
    storage = new CacheManagerTokenStorage(cache as Cache);
    storageByCache.set(cache, storage);
  }
  return storage;
}
