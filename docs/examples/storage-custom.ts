import { TokenData, TokenDataJson, TokenStorage } from 'nestjs-request-forge';

/** Your store: DynamoDB, SQL, etcd... (a small interface keeps the example standalone). */
interface KeyValueStore {
  read(key: string): Promise<string | undefined>;
  write(key: string, value: string, ttlMs?: number): Promise<void>;
  remove(key: string): Promise<void>;
}

export class KeyValueTokenStorage implements TokenStorage {
  constructor(private readonly store: KeyValueStore) {}

  async get(key: string): Promise<TokenData | undefined> {
    // An outage is a miss, not an error: the token endpoint is still there.
    const raw = await this.store.read(key).catch(() => undefined);
    if (!raw) return undefined;
    const token = TokenData.fromJSON(JSON.parse(raw) as TokenDataJson);
    return token.isExpired() ? undefined : token;
  }

  async set(key: string, token: TokenData, ttlMs?: number): Promise<void> {
    const untilExpiry = token.expiresAt ? token.expiresAt.getTime() - Date.now() : undefined;
    const ttl = ttlMs ?? untilExpiry;
    // Nothing left to keep: the key's earlier token goes too.
    if (ttl !== undefined && ttl <= 0) return this.delete(key);
    await this.store.write(key, JSON.stringify(token.toJSON()), ttl).catch(() => undefined);
  }

  async delete(key: string): Promise<void> {
    await this.store.remove(key).catch(() => undefined);
  }
}
