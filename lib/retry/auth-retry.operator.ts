import { MonoTypeOperatorFunction } from 'rxjs';
import { isDpopNonceChallenge } from '../auth/www-authenticate';
import { OptionChecker } from '../errors/option-checker';
import { TokenData } from '../tokens/token-data';
import {
  AuthRetryStrategy,
  SimpleAuthRetryStrategy,
  isInsufficientScope,
} from './auth-retry-strategies';
import { classifyFailure } from './request-failure';
import { DeadlineOptions, RetryDecision, relativeDeadline, retryLoop } from './retry-loop';

/** Anything that can forget a refused token, such as the `TokenManager`. */
export interface TokenInvalidator {
  invalidate(token?: TokenData): unknown;
}

export interface AuthRetryOptions extends DeadlineOptions {
  /** Default `new SimpleAuthRetryStrategy()` (one retry, no delay). */
  strategy?: AuthRetryStrategy;
  /**
   * Told to invalidate the refused token before each retry. The token is read from the
   * `Authorization` header the failed request carried (available on an `AxiosError`); when it
   * cannot be read, `invalidate()` is called without a token.
   */
  tokenManager?: TokenInvalidator;
  /** Called before each retry, e.g. to invalidate what was sent. Not together with `tokenManager`. */
  onUnauthorized?: (error: unknown, retry: number) => unknown;
}

/**
 * Retries a 401 as the strategy decides, after invalidating the refused credential, by
 * resubscribing to the cold source. The source must read the token when subscribed, so wrap an
 * `HttpService` call in `defer`:
 *
 *     defer(() => tokenManager.getToken()).pipe(
 *       switchMap((token) => http.get(url, { headers: { Authorization: token.authorizationHeader } })),
 *       authRetry({ strategy, tokenManager }),
 *     )
 *
 * Never retried: other statuses, a 401 whose `WWW-Authenticate` says `insufficient_scope`, and
 * a 401 from a server that never received the credential (another origin, a redirect target).
 */
export function authRetry<T>(options: AuthRetryOptions = {}): MonoTypeOperatorFunction<T> {
  const deadlineAt = relativeDeadline('authRetry', options.deadlineMs, options.now);
  const decide = authRetryDecision(options);
  return retryLoop<T>({ now: options.now, deadlineAt, start: () => decide });
}

/** Whether and when a 401 is retried (after invalidating the refused credential). */
export function authRetryDecision(
  options: Pick<AuthRetryOptions, 'strategy' | 'tokenManager' | 'onUnauthorized'>,
): RetryDecision {
  const { strategy = new SimpleAuthRetryStrategy(), onUnauthorized, tokenManager } = options;
  if (onUnauthorized && tokenManager) {
    new OptionChecker('authRetry').fail('onUnauthorized', 'cannot be combined with tokenManager');
  }
  return (error, retry) => {
    const failure = classifyFailure(error);
    if (!failure?.response || failure.status !== 401) return undefined;
    // Invalidating a token that server never saw would only throw a good one away.
    if (failure.credentialSent === false) return undefined;
    if (isInsufficientScope(failure.headers['www-authenticate'])) return undefined;
    // A DPoP nonce challenge refuses the proof, not the token (RFC 9449 §9).
    if (isDpopNonceChallenge(failure.headers['www-authenticate'])) return undefined;
    const delayMs = strategy.retryDelay(failure.response, retry);
    if (delayMs === undefined) return undefined;
    const before = () => {
      if (onUnauthorized) return onUnauthorized(error, retry);
      if (!tokenManager) return undefined;
      const refused = refusedToken(failure.requestHeaders['authorization']);
      return refused ? tokenManager.invalidate(refused) : tokenManager.invalidate();
    };
    return { delayMs, before };
  };
}

/** The token a failed request carried, rebuilt from its `Authorization` header (not Basic). */
function refusedToken(authorization: string | undefined): TokenData | undefined {
  const match = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(authorization ?? '');
  if (!match || match[1].toLowerCase() === 'basic') return undefined;
  return new TokenData({ accessToken: match[2], tokenType: match[1] });
}
