import { Subscription, exhaustMap, from, takeUntil, takeWhile, timer } from 'rxjs';

/**
 * Renews a lock holder's lease every third of it (two renewals may fail before it lapses) until
 * unsubscribed, until `renew` resolves `false` (no longer ours) or after `holdForMs` (the work's
 * worst case): a holder that hangs or dies loses the lock one lease after its last renewal.
 */
export function keepLeaseAlive(
  renew: () => Promise<boolean>,
  leaseMs: number,
  holdForMs: number,
): Subscription {
  const period = Math.max(1, Math.floor(leaseMs / 3));
  return timer(period, period)
    .pipe(
      takeUntil(timer(holdForMs)),
      // A renewal still waiting on Redis is not overtaken by the next one.
      exhaustMap(() => from(renew())),
      takeWhile((stillOurs) => stillOurs),
    )
    .subscribe({ error: () => undefined });
}
