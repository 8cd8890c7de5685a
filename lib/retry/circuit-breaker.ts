import { CircuitOpenException } from '../errors';
import { OptionChecker } from '../errors/option-checker';
import { recordCircuitTransition } from '../observability/metrics';
import { RequestFailure, classifyFailure } from './request-failure';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Ms the circuit stays open before letting probes through. Default 30_000. */
  recoveryTimeout?: number;
  /** Calls let through at once while half-open. Default 1. */
  halfOpenMaxCalls?: number;
  /** Put on `CircuitOpenException.clientName`. */
  name?: string;
  /** Clock. Default `Date.now`. */
  now?: () => number;
}

/** One admitted call; report how it ended exactly once. */
export interface CircuitPermit {
  /** The service answered (any 2xx, or a 4xx: the service is up). */
  succeeded(): void;
  /** A network error, a timeout or a 5xx. */
  failed(): void;
  /** The call ended without telling anything about the service (cancelled, a local error). */
  released(): void;
}

/**
 * closed → open after `failureThreshold` consecutive failures → (after `recoveryTimeout`)
 * half-open, admitting `halfOpenMaxCalls` probes at once → closed on a probe's success, open
 * again on a probe's failure. While open, `acquire()` throws `CircuitOpenException`.
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly recoveryTimeout: number;
  readonly halfOpenMaxCalls: number;
  private readonly name?: string;
  private readonly now: () => number;
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probesInFlight = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    const check = new OptionChecker('CircuitBreaker');
    this.failureThreshold = check.count('failureThreshold', options.failureThreshold ?? 5, 1);
    this.recoveryTimeout = check.duration('recoveryTimeout', options.recoveryTimeout ?? 30_000);
    this.halfOpenMaxCalls = check.count('halfOpenMaxCalls', options.halfOpenMaxCalls ?? 1, 1);
    if (options.name !== undefined) this.name = options.name;
    this.now = check.func('now', options.now ?? Date.now);
  }

  get state(): CircuitState {
    if (this.current === 'open' && this.now() >= this.retryAt) {
      this.current = 'half-open';
      this.probesInFlight = 0;
      recordCircuitTransition(this.name, 'half-open');
    }
    return this.current;
  }

  /** Admits one call, or throws `CircuitOpenException` (the call must then not be sent). */
  acquire(): CircuitPermit {
    const state = this.state;
    if (state === 'open') throw this.openException();
    if (state === 'half-open') {
      if (this.probesInFlight >= this.halfOpenMaxCalls) throw this.openException();
      this.probesInFlight++;
    }
    return this.permit(state === 'half-open');
  }

  /** Back to closed, forgetting failures. */
  reset(): void {
    if (this.current !== 'closed') recordCircuitTransition(this.name, 'closed');
    this.current = 'closed';
    this.consecutiveFailures = 0;
    this.probesInFlight = 0;
  }

  private get retryAt(): number {
    return this.openedAt + this.recoveryTimeout;
  }

  private permit(isProbe: boolean): CircuitPermit {
    let settled = false;
    const settle = (outcome: () => void) => () => {
      if (settled) return;
      settled = true;
      if (isProbe && this.current === 'half-open') this.probesInFlight--;
      outcome();
    };
    return {
      succeeded: settle(() => this.onSuccess()),
      failed: settle(() => this.onFailure(isProbe)),
      released: settle(() => undefined),
    };
  }

  private onSuccess(): void {
    this.consecutiveFailures = 0;
    if (this.current === 'half-open') this.reset();
  }

  private onFailure(isProbe: boolean): void {
    if (isProbe && this.current === 'half-open') return this.open();
    if (this.current !== 'closed') return;
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.failureThreshold) this.open();
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.probesInFlight = 0;
    recordCircuitTransition(this.name, 'open');
  }

  private openException(): CircuitOpenException {
    const retryAt = this.current === 'open' ? this.retryAt : this.now();
    return new CircuitOpenException(
      `Circuit open${this.name ? ` for ${this.name}` : ''}: request not sent`,
      { retryAt, attempts: 0, clientName: this.name },
    );
  }
}

/** Failures that say the service is unwell: no answer, a timeout, or a 5xx. A 4xx does not. */
export function isCircuitFailure(failure: RequestFailure | undefined): boolean {
  if (!failure) return false;
  return failure.isNetwork || (failure.status !== undefined && failure.status >= 500);
}

/**
 * Tells the breaker how a call that ended with `error` went: released when it says nothing of the
 * service (not an HTTP failure, or one stopped on this side).
 */
export function reportToPermit(permit: CircuitPermit, error: unknown): void {
  const failure = classifyFailure(error);
  if (isCircuitFailure(failure)) permit.failed();
  else if (failure && failure.kind !== 'local') permit.succeeded();
  else permit.released();
}
