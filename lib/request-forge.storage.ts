import { Logger } from '@nestjs/common';
import { ForgeClientOptions } from './client/client-options.interface';
import { OptionChecker } from './errors/option-checker';
import { type Cache, CacheManagerTokenStorage } from './storage/cache-manager-token-storage';
import {
  EncryptedTokenStorage,
  EncryptedTokenStorageOptions,
} from './storage/encrypted-token-storage';
import { parseEncryptionOptions } from './storage/encryption-keys';
import { InMemoryTokenStorage } from './storage/in-memory-token-storage';
import { TokenStorage } from './storage/token-storage.interface';

const logger = new Logger('RequestForgeModule');
let loggedMemoryFallback = false;
/** One storage per cache: its clients share one outage log (a warning per outage, not per client). */
const storageByCache = new WeakMap<Cache, TokenStorage>();

const STORAGE_TYPES = ['memory', 'cache'] as const;
type StorageType = (typeof STORAGE_TYPES)[number];

function isTokenStorage(value: unknown): value is TokenStorage {
  const v = value as Partial<TokenStorage> | undefined;
  return !!v && typeof v.get === 'function' && typeof v.set === 'function';
}

/**
 * A client's token storage: the one it names, else the app's CACHE_MANAGER when visible, else
 * memory (logged once per process); sealed when the option has `encryption`. The plain option,
 * `'memory' | 'cache' | { type: 'memory' | 'cache', encryption?: { keys, activeKid } }`, fails at
 * bootstrap with the client and the field named (never a key's value).
 */
export function resolveTokenStorage(
  clientName: string,
  options: ForgeClientOptions | undefined,
  cache: Cache | undefined,
): TokenStorage {
  const option: unknown = options?.storage;
  if (isTokenStorage(option)) return option;
  const check = OptionChecker.forClient(clientName);
  if (option === undefined || typeof option === 'string') {
    if (option !== undefined && !(STORAGE_TYPES as readonly string[]).includes(option)) {
      check.fail('storage', "must be 'memory', 'cache', { type, encryption? } or a TokenStorage");
    }
    return plainStorage(check, option as StorageType | undefined, cache);
  }
  const config = check.record('storage', option);
  const storage = check.at('storage');
  const type = storage.oneOf('type', config.type, STORAGE_TYPES);
  storage.knownKeys(config, ['type', 'encryption']);
  if (config.encryption === undefined) return plainStorage(check, type, cache);
  parseEncryptionOptions(config.encryption, storage.at('encryption'));
  const encryption = config.encryption as EncryptedTokenStorageOptions;
  return new EncryptedTokenStorage(plainStorage(check, type, cache), encryption);
}

function plainStorage(
  check: OptionChecker,
  choice: StorageType | undefined,
  cache: Cache | undefined,
): TokenStorage {
  if (choice === 'memory') return new InMemoryTokenStorage();
  if (cache) {
    const storage = storageByCache.get(cache) ?? new CacheManagerTokenStorage(cache);
    storageByCache.set(cache, storage);
    return storage;
  }
  if (choice === 'cache') {
    check.fail(
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
