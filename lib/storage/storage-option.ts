import { ConfigProblem } from '../client/config-validation';
import type { EncryptedTokenStorageOptions } from './encrypted-token-storage';
import { parseEncryptionOptions } from './encryption-keys';

/** A client's `storage` option in plain form, checked: where tokens go and whether sealed. */
export interface StorageChoice {
  /** Absent: the module's default (CACHE_MANAGER when visible, else memory). */
  type?: 'memory' | 'cache';
  encryption?: EncryptedTokenStorageOptions;
}

const TYPES = new Set(['memory', 'cache']);
const OBJECT_FIELDS = new Set(['type', 'encryption']);
const EXPECTED = "must be 'memory', 'cache', { type, encryption? } or a TokenStorage";

/**
 * Reads `'memory' | 'cache' | { type: 'memory' | 'cache', encryption?: { keys, activeKid } }` from
 * plain config, failing at bootstrap with the client and the field named (never a key's value).
 */
export function readStorageOption(clientName: string, value: unknown): StorageChoice {
  const problem = new ConfigProblem(clientName);
  if (value === undefined) return {};
  if (typeof value === 'string' && TYPES.has(value)) {
    return { type: value as StorageChoice['type'] };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    problem.fail('storage', EXPECTED);
  const option = value as Record<string, unknown>;
  if (typeof option.type !== 'string' || !TYPES.has(option.type)) {
    problem.fail('storage.type', "must be 'memory' or 'cache'");
  }
  for (const field of Object.keys(option)) {
    if (!OBJECT_FIELDS.has(field)) problem.fail(`storage.${field}`, 'is not a known option');
  }
  const type = option.type as StorageChoice['type'];
  if (option.encryption === undefined) return { type };
  parseEncryptionOptions(
    option.encryption,
    (field, why) => problem.fail(field, why),
    'storage.encryption',
  );
  return { type, encryption: option.encryption as EncryptedTokenStorageOptions };
}
