import { Subscription, exhaustMap, from, takeUntil, takeWhile, timer } from 'rxjs';

/** Default lease of a Redis lock holder: a dead holder blocks its peers about this long. */
export const DEFAULT_LOCK_LEASE_MS = 5_000;

// Extends the lease only while the key still holds our owner value: a holder whose lease lapsed
// and was taken over must not extend its successor's lock.
export const RENEW_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;

/**
 * Keeps a lock holder's short lease alive while it works: `renew` runs every third of the lease,
 * so two renewals may fail before it lapses. Renewing stops when it is unsubscribed (the work is
 * done), when `renew` says the lock is no longer ours, or after `holdForMs` (the work's worst
 * case): a holder that hangs past it loses the lock one lease later, one that dies (SIGKILL)
 * loses it one lease after its last renewal.
 *
 * @param renew resolves `false` when the key no longer holds our owner value
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
