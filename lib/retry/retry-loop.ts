import { MonoTypeOperatorFunction, Observable, Subscription } from 'rxjs';
import { OptionChecker } from '../errors/option-checker';
import { CircuitBreaker, CircuitPermit, reportToPermit } from './circuit-breaker';

/**
 * Attempt counts travel on the errors so nested loops add up without sharing state; only what our
 * loops recorded counts, never an `attempts` field set by anyone else.
 */
const recorded = new WeakMap<object, number>();

/** One decision of a retry loop: wait `delayMs`, after running `before` (e.g. invalidate a token). */
export interface RetryStep {
  delayMs: number;
  before?: () => unknown;
}

/** The step before retry `retry` (1-based) after `error`, or `undefined` to give up. */
export type RetryDecision = (error: unknown, retry: number) => RetryStep | undefined;

/** What every retry operator takes besides its decisions. */
export interface DeadlineOptions {
  /** No retry starts later than this many ms after subscribing; the last error is returned. */
  deadlineMs?: number;
  /** Clock for the deadline. Default `Date.now`. */
  now?: () => number;
}

export interface RetryLoopPlan {
  /**
   * The decisions of one call, made at subscription (they may keep per-call counts). Without
   * them nothing is retried and errors pass untouched: only the breaker guards the call.
   */
  start?(): RetryDecision;
  /** Epoch ms after which no retry may start, fixed once per subscription. */
  deadlineAt?(): number | undefined;
  now?(): number;
  /** Admits the call and hears once how it ended, retries included. */
  breaker?: CircuitBreaker;
  /** What the caller gets instead of the last error (after `attempts` was recorded on it). */
  finalError?: (error: unknown) => unknown;
}

/**
 * The one retry loop: resubscribes to the cold source as the plan decides, one subscriber per
 * call whatever the plan combines. The final error carries the number of requests made, inner
 * retries included; an error thrown by a `before` step reaches the caller untouched.
 */
export function retryLoop<T>(plan: RetryLoopPlan): MonoTypeOperatorFunction<T> {
  return (source: Observable<T>) =>
    new Observable<T>((subscriber) => {
      let permit: CircuitPermit | undefined;
      try {
        permit = plan.breaker?.acquire();
      } catch (open: unknown) {
        subscriber.error(open);
        return undefined;
      }
      const deadline = plan.deadlineAt?.();
      const decide = plan.start?.();
      let retries = 0;
      let attemptsSoFar = 0;
      let inner: Subscription | undefined;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;

      const fail = (error: unknown) => {
        if (permit) reportToPermit(permit, error);
        subscriber.error(error);
      };
      const giveUp = (error: unknown) => {
        const final = decide ? recordAttempts(error, attemptsSoFar + attemptsBehind(error)) : error;
        fail(plan.finalError ? plan.finalError(final) : final);
      };
      const attempt = () => {
        timer = undefined;
        if (closed) return;
        inner = source.subscribe({
          next: (value) => {
            permit?.succeeded();
            subscriber.next(value);
          },
          error: onError,
          complete: () => {
            permit?.succeeded();
            subscriber.complete();
          },
        });
      };
      const wait = (delayMs: number) => {
        if (!closed) timer = setTimeout(attempt, delayMs);
      };
      function onError(error: unknown): void {
        retries += 1;
        let step: RetryStep | undefined;
        try {
          step = decide?.(error, retries);
        } catch (thrown: unknown) {
          return giveUp(thrown);
        }
        if (!step) return giveUp(error);
        const now = plan.now ?? Date.now;
        if (deadline !== undefined && now() + step.delayMs > deadline) return giveUp(error);
        attemptsSoFar += attemptsBehind(error);
        const { delayMs, before } = step;
        if (!before) return wait(delayMs);
        Promise.resolve()
          .then(before)
          .then(
            () => wait(delayMs),
            (cause: unknown) => {
              if (!closed) fail(cause);
            },
          );
      }

      attempt();
      return () => {
        closed = true;
        if (timer) clearTimeout(timer);
        inner?.unsubscribe();
        permit?.released();
      };
    });
}

/** Requests behind this error: what an inner loop recorded, else 1. */
function attemptsBehind(error: unknown): number {
  return isObject(error) ? (recorded.get(error) ?? 1) : 1;
}

/** Sets `attempts`: the field of a `RequestForgeException`, or added to any extensible error. */
function recordAttempts<E>(error: E, attempts: number): E {
  if (!isObject(error)) return error;
  recorded.set(error, attempts);
  if (Object.isExtensible(error)) (error as { attempts?: number }).attempts = attempts;
  return error;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** A deadline `deadlineMs` after each subscription, checked now so a bad value fails at once. */
export function relativeDeadline(
  owner: string,
  deadlineMs: number | undefined,
  now: () => number = Date.now,
): () => number | undefined {
  if (deadlineMs === undefined) return () => undefined;
  new OptionChecker(owner).duration('deadlineMs', deadlineMs);
  return () => now() + deadlineMs;
}
