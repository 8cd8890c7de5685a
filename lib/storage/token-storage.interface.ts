import { TokenData } from '../tokens/token-data';

/** Where tokens are kept between requests; async so that shared stores fit. */
export interface TokenStorage {
  get(key: string): Promise<TokenData | undefined>;
  /** `ttlMs` absent: the storage keeps the token until it expires (or forever without expiry). */
  set(key: string, token: TokenData, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
}
