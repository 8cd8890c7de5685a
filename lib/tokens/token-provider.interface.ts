import { TokenData } from './token-data';

/** Obtains tokens for one service. Implement it for a custom grant or identity provider. */
export interface TokenProvider {
  /** Names the service in storage keys, logs and errors. */
  readonly serviceName: string;
  /**
   * What the token depends on (token URL, client id, grant, scope, audience...), hashed into the
   * storage key so that two configurations never share a token. No secrets in it.
   */
  readonly cacheKey?: string;
  /**
   * Longest one fetch can take (retries included). The TokenManager stops waiting for a fetch
   * after this, and sizes cross-process locks with it. Default 30_000.
   */
  readonly fetchTimeoutMs?: number;
  fetchToken(): Promise<TokenData>;
  /** Renews `current` (e.g. with its refresh token). Absent: `fetchToken()` is used. */
  refreshToken?(current: TokenData): Promise<TokenData>;
  /**
   * An API refused `refused` with 401 (undefined: invalidate whatever is current). Called by
   * `TokenManager.invalidate()` once per refused token, before it drops that token, so a provider
   * can drop what produced it (a pipeline's earlier steps).
   */
  onUnauthorized?(refused?: TokenData): Promise<void>;
}
