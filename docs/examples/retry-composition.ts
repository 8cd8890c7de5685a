import { AxiosResponse } from 'axios';
import { Observable } from 'rxjs';
import {
  authRetry,
  circuitBreaker,
  CircuitBreaker,
  ExponentialAuthRetryStrategy,
  ExponentialBackoffRetryStrategy,
  resilience,
  retryRequest,
  TokenManager,
} from 'nestjs-request-forge';

const authStrategy = new ExponentialAuthRetryStrategy({ maxRetries: 2 });
const retry = new ExponentialBackoffRetryStrategy({ maxRetries: 3 });
const breaker = new CircuitBreaker({ failureThreshold: 5, recoveryTimeout: 30_000 });

export function guarded(
  call$: Observable<AxiosResponse>,
  tokenManager: TokenManager,
): Observable<AxiosResponse> {
  return call$.pipe(
    authRetry({ strategy: authStrategy, tokenManager }), // 401 → new token, inside each retry round
    retryRequest(retry), // transient failures
    circuitBreaker(breaker), // one call counts once
  );
}

// or, with one deadline for both retry loops:
export function guardedWithDeadline(
  call$: Observable<AxiosResponse>,
  tokenManager: TokenManager,
): Observable<AxiosResponse> {
  return call$.pipe(
    resilience({ authRetry: { tokenManager }, retry, circuitBreaker: breaker, deadlineMs: 10_000 }),
  );
}
