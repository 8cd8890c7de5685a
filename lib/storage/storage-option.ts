import { OptionChecker } from '../errors/option-checker';
import type { EncryptedTokenStorageOptions } from './encrypted-token-storage';
import { parseEncryptionOptions } from './encryption-keys';

/** A client's `storage` option in plain form, checked: where tokens go and whether sealed. */
export interface StorageChoice {
  /** Absent: the module's default (CACHE_MANAGER when visible, else memory). */
  type?: 'memory' | 'cache';
  encryption?: EncryptedTokenStorageOptions;
}

const TYPES = ['memory', 'cache'] as const;
const OBJECT_FIELDS = ['type', 'encryption'];

/**
 * Reads `'memory' | 'cache' | { type: 'memory' | 'cache', encryption?: { keys, activeKid } }` from
 * plain config, failing at bootstrap with the client and the field named (never a key's value).
 */
export function readStorageOption(clientName: string, value: unknown): StorageChoice {
  if (value === undefined) return {};
  const check = OptionChecker.forClient(clientName);
  if (typeof value === 'string') {
    if (!(TYPES as readonly string[]).includes(value)) {
      check.fail('storage', "must be 'memory', 'cache', { type, encryption? } or a TokenStorage");
    }
    return { type: value as StorageChoice['type'] };
  }
  const option = check.record('storage', value);
  const storage = check.at('storage');
  const type = storage.oneOf('type', option.type, TYPES);
  storage.knownKeys(option, OBJECT_FIELDS);
  if (option.encryption === undefined) return { type };
  parseEncryptionOptions(option.encryption, storage.at('encryption'));
  return { type, encryption: option.encryption as EncryptedTokenStorageOptions };
}
