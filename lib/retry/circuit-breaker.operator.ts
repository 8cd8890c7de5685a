import { MonoTypeOperatorFunction, Observable, defer, finalize, tap } from 'rxjs';
import { CircuitBreaker, CircuitPermit } from './circuit-breaker';
import { RequestFailure, classifyFailure } from './request-failure';

/** Failures that say the service is unwell: no answer, a timeout, or a 5xx. A 4xx does not. */
export function isCircuitFailure(failure: RequestFailure | undefined): boolean {
  if (!failure) return false;
  return failure.isNetwork || (failure.status !== undefined && failure.status >= 500);
}

/**
 * Guards a cold request observable with `breaker`: while the circuit is open the source is not
 * subscribed (nothing is sent) and the caller gets `CircuitOpenException`. Place it outside the
 * retry operators so that one call, retries included, counts once.
 */
export function circuitBreaker<T>(breaker: CircuitBreaker): MonoTypeOperatorFunction<T> {
  return (source: Observable<T>) =>
    defer(() => {
      const permit = breaker.acquire();
      return source.pipe(
        tap({
          next: () => permit.succeeded(),
          complete: () => permit.succeeded(),
          error: (error: unknown) => reportToPermit(permit, error),
        }),
        finalize(() => permit.released()),
      );
    });
}

/** Tells the breaker how a call that ended with `error` went (not an HTTP failure: released). */
export function reportToPermit(permit: CircuitPermit, error: unknown): void {
  const failure = classifyFailure(error);
  if (isCircuitFailure(failure)) permit.failed();
  else if (failure) permit.succeeded();
  else permit.released();
}
