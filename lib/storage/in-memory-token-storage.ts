import { TokenData } from '../tokens/token-data';
import { TokenStorage } from './token-storage.interface';

interface Entry {
  token: TokenData;
  /** Epoch ms after which the entry is gone, or undefined to keep it. */
  evictAt?: number;
}

/**
 * Per-process storage. Entries past their TTL are not returned; without a TTL, past their token's
 * expiry. The TTL wins: a TokenManager computes it on its own clock (a test clock set in the past
 * dates tokens in the past), and the manager still judges expiry on that clock.
 */
export class InMemoryTokenStorage implements TokenStorage {
  private readonly entries = new Map<string, Entry>();

  async get(key: string): Promise<TokenData | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = Date.now();
    const gone = entry.evictAt !== undefined ? now >= entry.evictAt : entry.token.isExpired(0, now);
    if (gone) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  async set(key: string, token: TokenData, ttlMs?: number): Promise<void> {
    if (ttlMs !== undefined && ttlMs <= 0) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, { token, evictAt: ttlMs === undefined ? undefined : Date.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** Number of entries held, expired ones included until they are read. */
  get size(): number {
    return this.entries.size;
  }
}
