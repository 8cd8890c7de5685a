import {
  MonoTypeOperatorFunction,
  Observable,
  catchError,
  defer,
  from,
  retry,
  switchMap,
  throwError,
  timer,
} from 'rxjs';
import { attemptsBehind, recordAttempts } from './attempts';

/** One decision of a retry loop: wait `delayMs`, after running `before` (e.g. invalidate a token). */
export interface RetryStep {
  delayMs: number;
  before?: () => unknown;
}

export interface RetryLoopPlan {
  /** The step before retry `retry` (1-based) after `error`, or `undefined` to give up. */
  decide(error: unknown, retry: number): RetryStep | undefined;
  /** Epoch ms after which no retry may start, fixed once per subscription (per call). */
  deadlineAt(): number | undefined;
  now(): number;
}

/** Marks an error thrown by a `before` step so that it reaches the caller untouched. */
class StepFailure {
  constructor(readonly cause: unknown) {}
}

/**
 * Resubscribes to the (cold) source as the plan decides. Waits are rxjs timers, so unsubscribing
 * during a wait cancels the retry and leaves no timer behind. The error the caller finally gets
 * carries the number of requests made, inner retries included.
 */
export function retryLoop<T>(plan: RetryLoopPlan): MonoTypeOperatorFunction<T> {
  return (source: Observable<T>) =>
    defer(() => {
      const deadline = plan.deadlineAt();
      let attemptsSoFar = 0;
      return source.pipe(
        retry({
          delay: (error: unknown, retryCount: number) => {
            const step = plan.decide(error, retryCount);
            if (!step) throw error;
            if (deadline !== undefined && plan.now() + step.delayMs > deadline) throw error;
            attemptsSoFar += attemptsBehind(error);
            const wait = timer(step.delayMs);
            if (!step.before) return wait;
            const before = step.before;
            return defer(() => from(Promise.resolve().then(before))).pipe(
              catchError((cause: unknown) => throwError(() => new StepFailure(cause))),
              switchMap(() => wait),
            );
          },
        }),
        catchError((error: unknown) => {
          if (error instanceof StepFailure) return throwError(() => error.cause);
          return throwError(() => recordAttempts(error, attemptsSoFar + attemptsBehind(error)));
        }),
      );
    });
}
