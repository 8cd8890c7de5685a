import { OptionChecker } from '../errors/option-checker';
import { TokenLock } from '../storage/token-lock.interface';
import { hashCacheKey } from './cache-key';
import { TokenProvider } from './token-provider.interface';

/** A provider's worst case when it does not say (`TokenProvider.fetchTimeoutMs`). */
const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

export interface TokenManagerOptions {
  /** Renew this many ms before expiry; the current token is served meanwhile. Default 60_000. */
  refreshSkew?: number;
  /**
   * Lifetime given to a token the provider returns without `expiresAt`, in ms. Default: none
   * (such a token is kept until invalidated). OAuth2 providers already apply their own default.
   */
  defaultTokenLifetime?: number;
  /**
   * Single flight across processes (e.g. a Redis lock). Within a process the manager itself
   * makes one fetch for all its callers, with or without a lock.
   */
  lock?: TokenLock;
  /** Key of the token in the storage. Default `<serviceName>:<hash of provider.cacheKey>`. */
  storageKey?: string;
}

export interface ResolvedTokenManagerOptions {
  refreshSkew: number;
  defaultTokenLifetime?: number;
  lock?: TokenLock;
  storageKey: string;
  /** The provider's worst case: the manager stops waiting for a fetch after it. */
  fetchTimeoutMs: number;
}

/** Checks a TokenManager's provider and options, and fills in the defaults. */
export function resolveTokenManagerOptions(
  provider: TokenProvider,
  options: TokenManagerOptions,
): ResolvedTokenManagerOptions {
  const check = new OptionChecker('TokenManager');
  if (typeof (provider as Partial<TokenProvider> | undefined)?.fetchToken !== 'function') {
    check.fail('provider', 'must implement fetchToken()');
  }
  const { refreshSkew = 60_000, defaultTokenLifetime, lock, storageKey } = options;
  check.duration('refreshSkew', refreshSkew);
  check.optionalPositiveDuration('defaultTokenLifetime', defaultTokenLifetime);
  const worstCase = provider.fetchTimeoutMs;
  return {
    refreshSkew,
    ...(defaultTokenLifetime !== undefined ? { defaultTokenLifetime } : {}),
    ...(lock ? { lock } : {}),
    storageKey:
      storageKey ??
      `${provider.serviceName}:${hashCacheKey([provider.cacheKey ?? provider.serviceName])}`,
    fetchTimeoutMs:
      typeof worstCase === 'number' && worstCase > 0 && Number.isFinite(worstCase)
        ? worstCase
        : DEFAULT_FETCH_TIMEOUT_MS,
  };
}
