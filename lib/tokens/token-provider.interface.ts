import { TokenData } from './token-data';

/** Obtains tokens for one service. Implement it for a custom grant or identity provider. */
export interface TokenProvider {
  /** Names the service in storage keys, logs and errors. */
  readonly serviceName: string;
  /** What the token depends on (URL, client, scope...), hashed into its storage key; no secret. */
  readonly cacheKey?: string;
  /** Longest one fetch takes (retries included): the manager's wait, lock lease. Default 30_000. */
  readonly fetchTimeoutMs?: number;
  /**
   * A new token. `signal` aborts when the manager stops waiting (its worst case passed, or the
   * app shuts down): a provider may stop its requests then; ignoring it is allowed.
   */
  fetchToken(options?: { signal?: AbortSignal }): Promise<TokenData>;
  /** Renews `current` (e.g. with its refresh token). Absent: `fetchToken()` is used. */
  refreshToken?(current: TokenData, options?: { signal?: AbortSignal }): Promise<TokenData>;
  /**
   * Called once per token an API refused with 401 (none: whatever is current), before the
   * manager drops it, so a provider can drop what produced it (a pipeline's earlier steps).
   */
  onUnauthorized?(refused?: TokenData): Promise<void>;
}
