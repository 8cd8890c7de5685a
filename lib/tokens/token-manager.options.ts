import { OptionChecker } from '../errors/option-checker';
import { TokenLock } from '../storage/token-lock.interface';
import { hashCacheKey } from './cache-key';
import {
  FailureBackoff,
  FailureBackoffOptions,
  resolveFailureBackoff,
  TokenClock,
} from './failure-backoff';
import { SHORTEST_LIFETIME_MS } from './token-fields';
import { TokenTimes } from './token-times';
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
  /** Single flight across processes (e.g. a Redis lock); within one, the manager's own. */
  lock?: TokenLock;
  /** Key of the token in the storage. Default `<serviceName>:<hash of provider.cacheKey>`. */
  storageKey?: string;
  /** Pause of token requests after failed fetches; callers get the last failure meanwhile. */
  failureBackoff?: FailureBackoffOptions;
  /** The only clock the token code reads (epoch ms), so tests can move time. Default `Date`. */
  clock?: TokenClock;
}

export function resolveTokenManagerOptions(provider: TokenProvider, options: TokenManagerOptions) {
  const check = new OptionChecker('TokenManager');
  if (typeof (provider as Partial<TokenProvider> | undefined)?.fetchToken !== 'function') {
    check.fail('provider', 'must implement fetchToken()');
  }
  const { refreshSkew = 60_000, defaultTokenLifetime, lock, storageKey, clock = Date } = options;
  check.duration('refreshSkew', refreshSkew);
  if (defaultTokenLifetime !== undefined) {
    // A lifetime under 1 s would mean a fetch on nearly every call, as a token response's would.
    check.number('defaultTokenLifetime', defaultTokenLifetime, {
      min: SHORTEST_LIFETIME_MS,
      unit: 'milliseconds',
    });
  }
  const failureBackoff = resolveFailureBackoff(check, options.failureBackoff);
  check.func('clock.now', (clock as Partial<TokenClock> | undefined)?.now);
  const worstCase = provider.fetchTimeoutMs;
  return {
    times: new TokenTimes(clock, refreshSkew, defaultTokenLifetime),
    backoff: new FailureBackoff(failureBackoff, clock, provider.serviceName),
    lock,
    storageKey:
      storageKey ??
      `${provider.serviceName}:${hashCacheKey([provider.cacheKey ?? provider.serviceName])}`,
    fetchTimeoutMs:
      typeof worstCase === 'number' && worstCase > 0 && Number.isFinite(worstCase)
        ? worstCase
        : DEFAULT_FETCH_TIMEOUT_MS,
  };
}
