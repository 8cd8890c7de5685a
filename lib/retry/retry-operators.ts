import { MonoTypeOperatorFunction } from 'rxjs';
import { isDpopNonceChallenge, parseWwwAuthenticate } from '../auth/www-authenticate';
import { OptionChecker } from '../errors/option-checker';
import { TokenData } from '../tokens/token-data';
import { AuthRetryStrategy, SimpleAuthRetryStrategy } from './auth-retry-strategies';
import { CircuitBreaker } from './circuit-breaker';
import { RequestFailure, classifyFailure } from './request-failure';
import { DeadlineOptions, RetryDecision, relativeDeadline, retryLoop } from './retry-loop';
import { RetryStrategy } from './retry-strategy';

/** Anything that can forget a refused token, such as the `TokenManager`. */
export interface TokenInvalidator {
  invalidate(token?: TokenData): unknown;
}

export interface AuthRetryOptions extends DeadlineOptions {
  /** Default `new SimpleAuthRetryStrategy()` (one retry, no delay). */
  strategy?: AuthRetryStrategy;
  /**
   * Invalidates the refused token (read from the failed request's `Authorization` header; when
   * unreadable, `invalidate()` without a token) before each retry.
   */
  tokenManager?: TokenInvalidator;
  /** Called before each retry, e.g. to invalidate what was sent. Not together with `tokenManager`. */
  onUnauthorized?: (error: unknown, retry: number) => unknown;
}

/**
 * Retries a 401 as the strategy decides, after invalidating the refused credential, by
 * resubscribing to the cold source, which must read the token when subscribed:
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
  const { deadlineMs, now } = options;
  return resilienceLoop<T>('authRetry', { authRetry: options, deadlineMs, now });
}

/** Whether and when a 401 is retried (after invalidating the refused credential). */
function authRetryDecision(options: AuthRetryOptions): RetryDecision {
  const { strategy = new SimpleAuthRetryStrategy(), onUnauthorized, tokenManager } = options;
  if (onUnauthorized && tokenManager) {
    new OptionChecker('authRetry').fail('onUnauthorized', 'cannot be combined with tokenManager');
  }
  return (error, retry) => {
    const failure = classifyFailure(error);
    if (!failure?.response || failure.status !== 401) return undefined;
    // Invalidating a token that server never saw would only throw a good one away.
    if (failure.credentialSent === false) return undefined;
    const challenge = failure.headers['www-authenticate'];
    // RFC 6750 §3.1: the token is valid but lacks the scope; fetching another one will not help.
    const code = parseWwwAuthenticate(challenge).error?.toLowerCase();
    if (code === 'insufficient_scope') return undefined;
    // A DPoP nonce challenge refuses the proof, not the token (RFC 9449 §9).
    if (isDpopNonceChallenge(challenge)) return undefined;
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

/** What `onRetry` is told before each wait. */
export interface RetryEvent {
  error: unknown;
  failure: RequestFailure;
  /** 1-based number of the retry about to be made. */
  retry: number;
  delayMs: number;
}

export interface RetryRequestOptions extends DeadlineOptions {
  /** Called before each wait, e.g. to log. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Retries a cold request observable (a `ForgeClient` call, or an `HttpService` call wrapped in
 * `defer`: each retry is a fresh request) as `strategy` decides; the final error has `attempts`.
 */
export function retryRequest<T>(
  strategy: RetryStrategy,
  options: RetryRequestOptions = {},
): MonoTypeOperatorFunction<T> {
  const { onRetry, deadlineMs, now } = options;
  return resilienceLoop<T>('retryRequest', { retry: strategy, onRetry, deadlineMs, now });
}

/** Whether and when a failed request is sent again, as `strategy` says. */
function requestRetryDecision(
  strategy: RetryStrategy,
  onRetry?: RetryRequestOptions['onRetry'],
): RetryDecision {
  return (error, retry) => {
    const failure = classifyFailure(error);
    if (!failure) return undefined;
    const delayMs = strategy.retryDelay(failure, retry);
    if (delayMs === undefined) return undefined;
    return { delayMs, before: onRetry && (() => onRetry({ error, failure, retry, delayMs })) };
  };
}

/**
 * Guards a cold request observable with `breaker`: while the circuit is open the source is not
 * subscribed (nothing is sent) and the caller gets `CircuitOpenException`. Place it outside the
 * retry operators so that one call, retries included, counts once.
 */
export function circuitBreaker<T>(breaker: CircuitBreaker): MonoTypeOperatorFunction<T> {
  return retryLoop<T>({ breaker });
}

/** `deadlineMs` bounds auth retries and request retries together: no retry starts after it. */
export interface ResilienceOptions extends DeadlineOptions {
  /** 401 handling; omit for static credentials. */
  authRetry?: Pick<AuthRetryOptions, 'strategy' | 'tokenManager' | 'onUnauthorized'>;
  retry?: RetryStrategy;
  onRetry?: RetryRequestOptions['onRetry'];
  circuitBreaker?: CircuitBreaker;
}

/**
 * `authRetry` → `retryRequest` → `circuitBreaker` as one operator (one subscriber per call): a 401
 * is retried with a new token first; each transient retry gets its own auth retries; the breaker
 * counts a call once, retries included. One deadline, fixed at subscription, bounds both.
 */
export function resilience<T>(options: ResilienceOptions): MonoTypeOperatorFunction<T> {
  return resilienceLoop<T>('resilience', options);
}

/**
 * Behind every operator here (`owner` names it in option errors). `finalError` maps the caller's
 * final error (a client's own use); with `dpop`, the DPoP nonce retry comes first, never twice.
 */
export function resilienceLoop<T>(
  owner: string,
  options: ResilienceOptions,
  finalError?: (error: unknown) => unknown,
  dpop = false,
): MonoTypeOperatorFunction<T> {
  const deadlineAt = relativeDeadline(owner, options.deadlineMs, options.now);
  const auth = options.authRetry && authRetryDecision(options.authRetry);
  const request = options.retry && requestRetryDecision(options.retry, options.onRetry);
  return retryLoop<T>({
    now: options.now,
    deadlineAt,
    breaker: options.circuitBreaker,
    finalError,
    start: () => combined(auth, request, dpop ? dpopNonceRetry : undefined),
  });
}

/**
 * Auth retries nested in request retries: the auth count starts over after each request retry.
 * A nonce retry (one new proof, same token) counts as neither and never follows another one.
 */
function combined(
  auth?: RetryDecision,
  request?: RetryDecision,
  nonce?: RetryDecision,
): RetryDecision {
  let authRetries = 0;
  let requestRetries = 0;
  let afterNonceRetry = false;
  return (error) => {
    const nonceStep = afterNonceRetry ? undefined : nonce?.(error, 1);
    afterNonceRetry = nonceStep !== undefined;
    if (nonceStep) return nonceStep;
    const authStep = auth?.(error, authRetries + 1);
    if (authStep) {
      authRetries += 1;
      return authStep;
    }
    const step = request?.(error, requestRetries + 1);
    if (step) {
      requestRetries += 1;
      authRetries = 0;
    }
    return step;
  };
}

/**
 * RFC 9449 §9: an API that answers 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a
 * `DPoP-Nonce` gets the request again at once, with a new proof carrying that nonce. The token
 * stays: the server refused the proof, not the token. Only for a request that carried our proof.
 */
const dpopNonceRetry: RetryDecision = (error) => {
  const failure = classifyFailure(error);
  if (failure?.status !== 401 || failure.credentialSent !== true) return undefined;
  if (failure.requestHeaders['dpop'] === undefined || !failure.headers['dpop-nonce']) {
    return undefined;
  }
  return isDpopNonceChallenge(failure.headers['www-authenticate']) ? { delayMs: 0 } : undefined;
};
