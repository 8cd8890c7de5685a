import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyring, KEY_ID_PATTERN } from './encryption-keys';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
/** 96 bits: the IV length GCM is specified for (NIST SP 800-38D §8.2). */
const IV_BYTES = 12;
/** The full 128-bit tag; a shorter one is refused rather than accepted (SP 800-38D §5.2.1.2). */
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Why a stored value gave no plaintext; each is a miss for the caller. */
export type UnsealFailure = 'format' | 'unknown-kid' | 'decrypt';

export type Unsealed =
  { ok: true; plaintext: string } | { ok: false; cause: UnsealFailure; kid?: string };

/**
 * `v1.<kid>.<iv>.<ciphertext>.<tag>` (base64url parts): AES-256-GCM under the active key, a fresh
 * random IV per value. The version, the key id and the storage key are the additional data, so a
 * value copied under another storage key (or relabelled with another kid) does not decrypt.
 */
export function seal(keyring: EncryptionKeyring, storageKey: string, plaintext: string): string {
  const kid = keyring.activeKid;
  const key = keyring.keys.get(kid);
  if (!key) throw new Error('the active key id has no key'); // parseEncryptionOptions prevents it
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(kid, storageKey));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, kid, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The plaintext of a value `seal` wrote under the same storage key, or why there is none. */
export function unseal(keyring: EncryptionKeyring, storageKey: string, value: string): Unsealed {
  const parts = value.split('.');
  if (parts.length !== 5) return { ok: false, cause: 'format' };
  const [version, kid, ivText, ciphertextText, tagText] = parts;
  if (version !== VERSION || !KEY_ID_PATTERN.test(kid)) return { ok: false, cause: 'format' };
  if (![ivText, ciphertextText, tagText].every((part) => BASE64URL.test(part))) {
    return { ok: false, cause: 'format' };
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return { ok: false, cause: 'format' };
  const key = keyring.keys.get(kid);
  if (!key) return { ok: false, cause: 'unknown-kid', kid };
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(kid, storageKey));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertextText, 'base64url')),
      decipher.final(),
    ]);
    return { ok: true, plaintext: plaintext.toString('utf8') };
  } catch {
    // GCM's tag check failed: another key under this kid, a tampered value, or another key's value.
    return { ok: false, cause: 'decrypt', kid };
  }
}

/** Unambiguous: the version and the kid hold no dot. */
function additionalData(kid: string, storageKey: string): Buffer {
  return Buffer.from(`${VERSION}.${kid}.${storageKey}`, 'utf8');
}
