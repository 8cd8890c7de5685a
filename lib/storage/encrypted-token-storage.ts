import { Logger } from '@nestjs/common';
import { OptionChecker } from '../errors/option-checker';
import { TokenData } from '../tokens/token-data';
import { EncryptionKeyring, parseEncryptionOptions } from './encryption-keys';
import { seal, UnsealFailure, unseal } from './sealed-value';
import { TokenStorage } from './token-storage.interface';

export interface EncryptedTokenStorageOptions {
  /**
   * Keys by id: a 32-byte `Buffer`, or a string of 32 bytes in base64 (standard or URL-safe) or
   * hex. Ids are 1-64 letters, digits, `_` or `-`; every key listed still decrypts.
   */
  keys: Record<string, Buffer | Uint8Array | string>;
  /** The id of the key new values are written with. */
  activeKid: string;
}

/**
 * Marks the envelope the inner storage keeps. Its expiry stays readable so the inner storage can
 * expire it (Redis TTL) without a key; everything else is inside the sealed value.
 */
const ENVELOPE_TOKEN_TYPE = 'request-forge-encrypted';

const MISS_REASONS: Record<UnsealFailure, string> = {
  format:
    'is not an encrypted value (v1.<kid>.<iv>.<ciphertext>.<tag>), e.g. one written without encryption',
  'unknown-kid':
    'names a key id that is not in keys (a key rotated in elsewhere, or retired too early)',
  decrypt:
    'does not decrypt (another key under the same id, a modified value, or one copied from another key)',
};

/**
 * Tokens encrypted at rest in any `TokenStorage` (AES-256-GCM, node:crypto): the inner storage
 * keeps a `TokenData` envelope whose access token is the sealed `TokenData.toJSON()` and which
 * holds no refresh token, scope or extra. A value that cannot be read back is a miss, never an
 * error: a rotation mistake costs a token request, not an outage. Each cause of a miss is logged
 * once per storage, without the value.
 */
export class EncryptedTokenStorage implements TokenStorage {
  private readonly logger = new Logger(EncryptedTokenStorage.name);
  private readonly keyring: EncryptionKeyring;
  private readonly loggedCauses = new Set<UnsealFailure>();

  constructor(
    private readonly inner: TokenStorage,
    options: EncryptedTokenStorageOptions,
  ) {
    this.keyring = parseEncryptionOptions(options, new OptionChecker('EncryptedTokenStorage'));
  }

  async get(key: string): Promise<TokenData | undefined> {
    const envelope = await this.inner.get(key);
    if (!envelope) return undefined;
    if (envelope.tokenType !== ENVELOPE_TOKEN_TYPE) return this.miss(key, 'format');
    const opened = unseal(this.keyring, key, envelope.accessToken);
    if (!opened.ok) return this.miss(key, opened.cause, opened.kid);
    let token: TokenData;
    try {
      token = TokenData.fromJSON(opened.plaintext);
    } catch {
      // Authentic but not a token of ours: written by a newer or foreign version with our key.
      return this.miss(key, 'format');
    }
    return token.isExpired() ? undefined : token;
  }

  async set(key: string, token: TokenData, ttlMs?: number): Promise<void> {
    const envelope = new TokenData({
      accessToken: seal(this.keyring, key, JSON.stringify(token.toJSON())),
      tokenType: ENVELOPE_TOKEN_TYPE,
      ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
    });
    await this.inner.set(key, envelope, ttlMs);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  private miss(key: string, cause: UnsealFailure, kid?: string): undefined {
    if (this.loggedCauses.has(cause)) return undefined;
    this.loggedCauses.add(cause);
    // The kid passed KEY_ID_PATTERN; the key name holds no secret (docs/storage.md).
    const which = kid ? ` (key id "${kid}")` : '';
    this.logger.warn(
      `Ignored the stored token for "${key}": it ${MISS_REASONS[cause]}${which}; ` +
        'a fresh token replaces it. Logged once per cause.',
    );
    return undefined;
  }
}
