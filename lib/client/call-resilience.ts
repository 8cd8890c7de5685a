import { AxiosResponse } from 'axios';
import { parseWwwAuthenticate } from '../auth/www-authenticate';
import { AuthenticationException, HttpStatusException } from '../errors';
import { catchError, Observable, throwError } from 'rxjs';
import { AuthRetryStrategy, SimpleAuthRetryStrategy } from '../retry/auth-retry-strategies';
import { recordAuthRetry, recordRequestRetry } from '../observability/metrics';
import { CircuitBreaker, CircuitState } from '../retry/circuit-breaker';
import { resilience } from '../retry/resilience.operator';
import { createCircuitBreaker } from '../retry/strategy-factories';
import { CallContext } from './call-context';
import { HttpClientConfig } from './http-client-config';
import { sentCredentialOf } from './sent-credential';

/**
 * What a client wraps around the attempts of one call, as configured: auth retry → transient
 * retry → circuit breaker (one breaker per client), then a refused token's final 401 as an
 * `AuthenticationException`. Every decision reads the failure each attempt put on its error.
 */
export class CallResilience {
  private readonly breaker?: CircuitBreaker;
  private readonly authRetryStrategy: AuthRetryStrategy;
  private readonly active: boolean;

  constructor(
    private readonly config: HttpClientConfig,
    private readonly clientName: string,
  ) {
    if (config.circuitBreaker) {
      this.breaker = createCircuitBreaker(config.circuitBreaker, { clientName });
    }
    this.authRetryStrategy = config.authRetryStrategy ?? new SimpleAuthRetryStrategy();
    this.active = !!(config.auth?.onUnauthorized || config.retryStrategy || this.breaker);
  }

  /** For health checks; absent without a circuit breaker. */
  get circuitState(): CircuitState | undefined {
    return this.breaker?.state;
  }

  /** @param attempts the cold attempt observable (each subscription is one send) */
  wrap<T>(attempts: Observable<AxiosResponse<T>>, call: CallContext): Observable<AxiosResponse<T>> {
    if (!this.active) return attempts;
    const auth = this.config.auth;
    const dynamicAuth = !!auth?.onUnauthorized;
    return attempts.pipe(
      resilience<AxiosResponse<T>>({
        authRetry: dynamicAuth
          ? {
              strategy: this.authRetryStrategy,
              onUnauthorized: async (error: unknown) => {
                call.countAuthRetry();
                recordAuthRetry(this.clientName);
                const refused = sentCredentialOf(error);
                if (refused) await auth?.onUnauthorized?.(refused);
              },
            }
          : undefined,
        retry: this.config.retryStrategy,
        onRetry: () => recordRequestRetry(this.clientName),
        circuitBreaker: this.breaker,
        deadlineMs: this.config.deadline,
      }),
      catchError((error: unknown) =>
        throwError(() =>
          // Only a refused token is an authentication failure; a 401 on an excluded path or
          // another origin (no token sent) stays the API's answer.
          dynamicAuth && sentCredentialOf(error)?.token
            ? toFinalAuthError(error, this.clientName)
            : error,
        ),
      ),
    );
  }
}

/**
 * With token auth, a 401 still there after the auth retries means the API keeps refusing our
 * tokens: that is an `AuthenticationException` (RFC 6750 §3 error from `WWW-Authenticate`).
 */
function toFinalAuthError(error: unknown, clientName: string): unknown {
  if (!(error instanceof HttpStatusException) || error.status !== 401) return error;
  const challenge = parseWwwAuthenticate(error.response.headers['www-authenticate']);
  const attempts = error.attempts;
  const detail = challenge.error ? ` (${challenge.error})` : '';
  return new AuthenticationException(
    `${error.method ?? 'GET'} ${error.url ?? ''} was refused with 401${detail} after ` +
      `${attempts ?? 1} attempt(s) with fresh tokens`,
    {
      serviceName: clientName,
      clientName,
      status: 401,
      ...(attempts !== undefined ? { attempts } : {}),
      ...(challenge.error ? { error: challenge.error } : {}),
      ...(challenge.errorDescription ? { errorDescription: challenge.errorDescription } : {}),
      cause: error,
    },
  );
}
