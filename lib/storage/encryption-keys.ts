import { createSecretKey, KeyObject } from 'node:crypto';
import { isRecord, OptionChecker } from '../errors/option-checker';

/** AES-256: a key is exactly 32 bytes. */
export const ENCRYPTION_KEY_BYTES = 32;

/** A key id appears in every stored value between dots, so it cannot hold one. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Keys by id, ready for node:crypto; a `KeyObject` never shows its bytes when inspected. */
export interface EncryptionKeyring {
  readonly activeKid: string;
  readonly keys: ReadonlyMap<string, KeyObject>;
}

const OPTION_NAMES = ['keys', 'activeKid'];
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// Standard or URL-safe alphabet, padded or not: what `randomBytes(32).toString('base64')` and
// config tooling produce. Checked before decoding because Buffer.from(s, 'base64') is lenient.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/**
 * Checks `{ keys: { [kid]: key }, activeKid }` as it comes from code or plain config (YAML, env),
 * trusting nothing to match its type. `check` is at the object (`storage.encryption` of a
 * client, or the constructor's options). A key is never quoted: it is the secret.
 */
export function parseEncryptionOptions(value: unknown, check: OptionChecker): EncryptionKeyring {
  if (!isRecord(value)) return check.fail('', 'must be { keys: { [kid]: key }, activeKid }');
  check.knownKeys(value, OPTION_NAMES);
  if (!isRecord(value.keys) || Object.keys(value.keys).length === 0) {
    return check.fail('keys', 'must be an object of key ids to keys, with at least one key');
  }
  const keys = new Map<string, KeyObject>();
  for (const [kid, key] of Object.entries(value.keys)) {
    if (!KEY_ID_PATTERN.test(kid)) {
      check.fail('keys', 'must use key ids of 1 to 64 letters, digits, _ or -');
    }
    keys.set(kid, createSecretKey(keyBytes(key, `keys.${kid}`, check)));
  }
  const activeKid = value.activeKid;
  if (typeof activeKid !== 'string' || activeKid === '') {
    return check.fail('activeKid', 'is required: the id of the key new values are written with');
  }
  if (!keys.has(activeKid)) {
    check.fail('activeKid', `must be one of the key ids in keys (${[...keys.keys()].join(', ')})`);
  }
  return { activeKid, keys };
}

function keyBytes(key: unknown, field: string, check: OptionChecker): Buffer {
  // A trailing newline is what `echo` and many secret stores add to an env value.
  const text = typeof key === 'string' ? key.trim() : '';
  const bytes =
    key instanceof Uint8Array
      ? Buffer.from(key)
      : HEX_KEY.test(text)
        ? Buffer.from(text, 'hex')
        : BASE64_KEY.test(text)
          ? Buffer.from(text, 'base64')
          : undefined;
  if (bytes?.length !== ENCRYPTION_KEY_BYTES) {
    check.fail(field, `must be ${ENCRYPTION_KEY_BYTES} bytes (base64 or hex)`);
  }
  return bytes as Buffer;
}
