import { Logger } from '@nestjs/common';
import { ForgeClientOptions } from './client/client-options.interface';
import { OptionChecker } from './errors/option-checker';
import { type Cache, CacheManagerTokenStorage } from './storage/cache-manager-token-storage';
import { EncryptedTokenStorage } from './storage/encrypted-token-storage';
import { InMemoryTokenStorage } from './storage/in-memory-token-storage';
import { readStorageOption } from './storage/storage-option';
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
 * A client's token storage: the one it names, else the app's CACHE_MANAGER when visible, else
 * memory (logged once per process); sealed when the option has `encryption`.
 */
export function resolveTokenStorage(
  clientName: string,
  options: ForgeClientOptions | undefined,
  cache: StoreCache | undefined,
): TokenStorage {
  const option = options?.storage;
  if (isTokenStorage(option)) return option;
  const { type, encryption } = readStorageOption(clientName, option);
  const storage = plainStorage(clientName, type, cache);
  return encryption ? new EncryptedTokenStorage(storage, encryption) : storage;
}

function plainStorage(
  clientName: string,
  choice: 'memory' | 'cache' | undefined,
  cache: StoreCache | undefined,
): TokenStorage {
  if (choice === 'memory') return new InMemoryTokenStorage();
  if (cache) return cacheStorage(cache);
  if (choice === 'cache') {
    OptionChecker.forClient(clientName).fail(
      'storage',
      "'cache' needs a CacheModule (CACHE_MANAGER) visible to RequestForgeModule, e.g. " +
        'CacheModule.register({ isGlobal: true })',
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
  const storage = storageByCache.get(cache) ?? new CacheManagerTokenStorage(cache as Cache);
  storageByCache.set(cache, storage);
  return storage;
}
