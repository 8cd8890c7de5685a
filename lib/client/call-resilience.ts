import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { catchError, Observable, throwError } from 'rxjs';
import { AppliedAuth } from '../auth/request-auth.interface';
import { CallContext } from '../hooks/call-context';
import { AuthRetryStrategy, SimpleAuthRetryStrategy } from '../retry/auth-retry-strategies';
import { CircuitBreaker } from '../retry/circuit-breaker';
import { resilience, ResilienceOptions } from '../retry/resilience.operator';
import { createCircuitBreaker } from '../retry/strategy-factories';
import { toFinalAuthError } from './final-auth-error';
import { mergeHeaders } from './header-merge';
import { HttpClientConfig } from './http-client-config';

/**
 * What a client wraps around the attempts of one call, as configured: auth retry → transient
 * retry → circuit breaker (one breaker per client), then a refused token's final 401 as an
 * `AuthenticationException`.
 */
export class CallResilience {
  private readonly breaker?: CircuitBreaker;
  private readonly authRetryStrategy: AuthRetryStrategy;

  constructor(
    private readonly config: HttpClientConfig,
    private readonly clientName: string,
  ) {
    if (config.circuitBreaker) {
      this.breaker = createCircuitBreaker(config.circuitBreaker, { clientName });
    }
    this.authRetryStrategy = config.authRetryStrategy ?? new SimpleAuthRetryStrategy();
  }

  /**
   * @param attempts the cold attempt observable (each subscription is one send)
   * @param lastApplied the credential the latest attempt sent
   */
  wrap<T>(
    attempts: Observable<AxiosResponse<T>>,
    request: AxiosRequestConfig,
    call: CallContext,
    lastApplied: () => AppliedAuth | undefined,
  ): Observable<AxiosResponse<T>> {
    const options = this.optionsFor(request, call, lastApplied);
    if (!options) return attempts;
    const dynamicAuth = options.authRetry !== undefined;
    return attempts.pipe(
      resilience<AxiosResponse<T>>(options),
      catchError((error: unknown) =>
        throwError(() =>
          // Only a refused token is an authentication failure; a 401 on an excluded path or
          // another origin (no token sent) stays the API's answer.
          dynamicAuth && lastApplied()?.token ? toFinalAuthError(error, this.clientName) : error,
        ),
      ),
    );
  }

  private optionsFor(
    request: AxiosRequestConfig,
    call: CallContext,
    lastApplied: () => AppliedAuth | undefined,
  ): ResilienceOptions | undefined {
    const auth = this.config.auth;
    if (!auth?.onUnauthorized && !this.config.retryStrategy && !this.breaker) return undefined;
    return {
      authRetry: auth?.onUnauthorized && {
        strategy: this.onlyWhenSent(lastApplied),
        onUnauthorized: async () => {
          call.countAuthRetry();
          const refused = lastApplied();
          if (refused) await auth.onUnauthorized?.(refused);
        },
      },
      retry: this.config.retryStrategy,
      circuitBreaker: this.breaker,
      deadlineMs: this.config.deadline,
      // Only request retries look at the method and an Idempotency-Key.
      request: this.config.retryStrategy && {
        method: (request.method ?? 'GET').toUpperCase(),
        headers: mergeHeaders(this.config.headers, request.headers as Record<string, unknown>),
      },
    };
  }

  /**
   * The auth retry strategy, for attempts that sent a credential: retrying a 401 that no token
   * caused (excluded path, another origin) cannot help.
   */
  private onlyWhenSent(lastApplied: () => AppliedAuth | undefined): AuthRetryStrategy {
    const strategy = this.authRetryStrategy;
    return {
      maxRetries: strategy.maxRetries,
      retryDelay: (response, retry) =>
        lastApplied() ? strategy.retryDelay(response, retry) : undefined,
    };
  }
}
