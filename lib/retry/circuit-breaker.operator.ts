import { MonoTypeOperatorFunction } from 'rxjs';
import { CircuitBreaker } from './circuit-breaker';
import { retryLoop } from './retry-loop';

/**
 * Guards a cold request observable with `breaker`: while the circuit is open the source is not
 * subscribed (nothing is sent) and the caller gets `CircuitOpenException`. Place it outside the
 * retry operators so that one call, retries included, counts once.
 */
export function circuitBreaker<T>(breaker: CircuitBreaker): MonoTypeOperatorFunction<T> {
  return retryLoop<T>({ breaker });
}
