import { AxiosResponse } from 'axios';
import { parseWwwAuthenticate } from '../auth/www-authenticate';
import { AuthenticationException, HttpStatusException } from '../errors';
import { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { recordAuthRetry, recordRequestRetry } from '../observability/metrics';
import { CircuitBreaker, CircuitState } from '../retry/circuit-breaker';
import { resilienceLoop } from '../retry/retry-operators';
import { createCircuitBreaker } from '../retry/strategy-factories';
import { classifyFailure } from '../retry/request-failure';
import { AttemptFailure } from './call-context';
import { HttpClientConfig } from './http-client-config';

/** Auth retry → transient retry → circuit breaker around a call's attempts; one per client. */
export class CallResilience {
  private readonly operator?: MonoTypeOperatorFunction<AxiosResponse>;
  private readonly breaker?: CircuitBreaker;

  constructor(config: HttpClientConfig, clientName: string) {
    this.breaker = config.circuitBreaker && createCircuitBreaker(config.circuitBreaker, clientName);
    const onUnauthorized = config.auth?.onUnauthorized?.bind(config.auth);
    if (!onUnauthorized && !config.retryStrategy && !this.breaker) return;
    this.operator = resilienceLoop<AxiosResponse>(
      'resilience',
      {
        authRetry: onUnauthorized
          ? {
              strategy: config.authRetryStrategy,
              onUnauthorized: async (error: unknown) => {
                const origin: AttemptFailure | undefined = classifyFailure(error);
                origin?.call?.countAuthRetry();
                recordAuthRetry(clientName);
                if (origin?.sent) await onUnauthorized(origin.sent);
              },
            }
          : undefined,
        retry: config.retryStrategy,
        onRetry: () => recordRequestRetry(clientName),
        circuitBreaker: this.breaker,
        deadlineMs: config.deadline,
      },
      onUnauthorized ? (error) => toFinalAuthError(error, clientName) : undefined,
      !!config.auth?.dpop,
    );
  }

  /** For health checks; absent without a circuit breaker. */
  get circuitState(): CircuitState | undefined {
    return this.breaker?.state;
  }

  wrap<T>(attempts: Observable<AxiosResponse<T>>): Observable<AxiosResponse<T>> {
    if (!this.operator) return attempts;
    return attempts.pipe(this.operator as MonoTypeOperatorFunction<AxiosResponse<T>>);
  }
}

/**
 * A 401 to a sent token after the auth retries means the API keeps refusing our tokens: an
 * `AuthenticationException` (RFC 6750 §3). Where no token was sent it stays the API's answer.
 */
function toFinalAuthError(error: unknown, clientName: string): unknown {
  const failure: AttemptFailure | undefined = classifyFailure(error);
  if (!failure?.sent?.token) return error;
  if (!(error instanceof HttpStatusException) || error.status !== 401) return error;
  const challenge = parseWwwAuthenticate(error.response.headers['www-authenticate']);
  const attempts = error.attempts;
  const detail = challenge.error ? ` (${challenge.error})` : '';
  // A nonce challenge keeps the token (RFC 9449 §9): what was new on each attempt is the proof.
  // Otherwise the refused token was dropped before each retry (the next may be a peer's).
  const retried = (attempts ?? 1) > 1;
  const renewed =
    challenge.error === 'use_dpop_nonce'
      ? ' with a new DPoP nonce each time'
      : retried
        ? ', the token replaced before each retry'
        : '';
  return new AuthenticationException(
    `${error.method ?? 'GET'} ${error.url ?? ''} was refused with 401${detail} after ` +
      `${attempts ?? 1} attempt(s)${renewed}`,
    { serviceName: clientName, clientName, status: 401, attempts, ...challenge, cause: error },
  );
}
