import { Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { catchError, defer, lastValueFrom, of, throwError } from 'rxjs';
import { BackoffSettings, exponentialDelay, jitteredBackoff } from '../retry/backoff';
import { retryLoop } from '../retry/retry-loop';
import { withDeadline } from './deadline';
import { keepLeaseAlive } from './lock-lease';
import { OutageLog } from './outage-log';
import { RedisLockClient, RedisLockConnection } from './redis-lock-connection';
import { ExclusiveWork, TokenLock } from './token-lock.interface';

export interface RedisTokenLockOptions {
  /** Prepended to the storage key: `<keyPrefix><key>`. */
  keyPrefix?: string;
  /**
   * The holder's lease in ms, renewed (compare-and-PEXPIRE) every third of it while it fetches: a
   * holder that dies blocks the others about this long. Default 5_000.
   */
  leaseMs?: number;
  /** Longest a waiter waits for a peer's token before fetching. Default: fetch timeout + 2 leases. */
  maxWaitMs?: number;
  /** A Redis call slower than this counts as an outage. */
  commandTimeoutMs?: number;
  /** Waiters poll the storage with jittered backoff between these delays. */
  minPollDelayMs?: number;
  maxPollDelayMs?: number;
}

export const DEFAULT_REDIS_LOCK_KEY_PREFIX = 'api_tokens:lock:';
const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

// Only while the key still holds our owner value: a holder whose lease lapsed and was taken over
// must neither extend nor release its successor's lock.
const RENEW_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;
// A key without expiry (a `SET` without PX by a crashed or older writer) would hold the lock for
// ever, each fetch waiting `maxWaitMs` for nothing: it gets one lease and lapses like a dead
// holder's. A holder's key always has an expiry, so no live lease is touched.
const EXPIRE_IF_PERMANENT = `if redis.call('pttl', KEYS[1]) == -1 then
  return redis.call('pexpire', KEYS[1], ARGV[1])
end
return 0`;

type Acquired = 'acquired' | 'held-by-peer' | 'redis-unavailable';

/** How a wait for the lock ended. */
type Turn<T> =
  { kind: 'acquired' | 'redis-unavailable' | 'gave-up' } | { kind: 'stored'; token: T };

/** A peer holds the lock and has stored nothing yet: the one failure the wait retries. */
class PeerHoldsLock extends Error {}

/**
 * Cross-process single flight on Redis: `SET key owner NX PX lease`, the lease renewed while the
 * holder fetches, released by compare-and-delete; a lock key without expiry is given one lease.
 * The others retry the lock with jittered backoff, reading the storage for its token between
 * tries, and fetch directly after `maxWaitMs`. Redis trouble never fails a fetch: without Redis
 * every caller fetches on its own (logged once per outage). The TokenManager lets one caller per
 * process in.
 */
export class RedisTokenLock implements TokenLock, OnModuleDestroy {
  private readonly logger = new Logger(RedisTokenLock.name);
  private readonly outage = new OutageLog(
    this.logger,
    'Redis token lock',
    'token fetches are not shared between processes until it is back',
  );
  private readonly keyPrefix: string;
  private readonly leaseMs: number;
  private readonly maxWaitMs?: number;
  private readonly commandTimeoutMs: number;
  private readonly pollBackoff: BackoffSettings;
  private readonly connection: RedisLockConnection;

  /** A lock on its own connection to `url`, closed by `close()` / `onModuleDestroy`. */
  static fromUrl(url: string, options: RedisTokenLockOptions = {}): RedisTokenLock {
    return new RedisTokenLock({ url }, options);
  }

  /** @param connection a node-redis client (left open on close) or `{ url }` (closed on close) */
  constructor(connection: RedisLockClient | { url: string }, options: RedisTokenLockOptions = {}) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_LOCK_KEY_PREFIX;
    this.leaseMs = options.leaseMs ?? 5_000;
    this.maxWaitMs = options.maxWaitMs;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 500;
    this.pollBackoff = jitteredBackoff(options.minPollDelayMs ?? 20, options.maxPollDelayMs ?? 250);
    this.connection = new RedisLockConnection(connection, this.commandTimeoutMs, (error) =>
      this.outage.failed(error),
    );
  }

  async runExclusive<T>(key: string, work: ExclusiveWork<T>): Promise<T> {
    const lockKey = this.keyPrefix + key;
    const owner = randomUUID();
    const fetchTimeoutMs =
      Number.isFinite(work.fetchTimeoutMs) && work.fetchTimeoutMs > 0
        ? work.fetchTimeoutMs
        : DEFAULT_FETCH_TIMEOUT_MS;
    const waitMs = this.maxWaitMs ?? fetchTimeoutMs + 2 * this.leaseMs;
    const turn = await this.waitForTurn(lockKey, owner, waitMs, work);
    if (turn.kind === 'stored') return turn.token;
    if (turn.kind === 'acquired') return this.runAsHolder(lockKey, owner, work, fetchTimeoutMs);
    if (turn.kind === 'gave-up') {
      this.logger.warn(`No token appeared for "${key}" while a peer held the lock; fetching`);
    }
    // Gave up waiting, or Redis is unavailable: fetch without the lock.
    return work.fetch();
  }

  /**
   * Tries the lock until it is ours, a peer's token is stored, Redis fails or `waitMs` is over;
   * a try that finds a peer holding the lock is a failed attempt of the one retry loop.
   */
  private waitForTurn<T>(
    lockKey: string,
    owner: string,
    waitMs: number,
    work: ExclusiveWork<T>,
  ): Promise<Turn<T>> {
    const giveUpAt = Date.now() + waitMs;
    const attempt = defer(async (): Promise<Turn<T>> => {
      const acquired = await this.tryAcquire(lockKey, owner);
      if (acquired !== 'held-by-peer') return { kind: acquired };
      const token = await work.poll();
      if (token !== undefined) return { kind: 'stored', token };
      throw new PeerHoldsLock();
    });
    return lastValueFrom(
      attempt.pipe(
        retryLoop({
          deadlineAt: () => giveUpAt,
          start: () => (error: unknown, retry: number) => {
            const left = giveUpAt - Date.now();
            if (!(error instanceof PeerHoldsLock) || left <= 0) return undefined;
            // Capped to the time left, so the last try lands on the deadline, not before it.
            return { delayMs: Math.min(exponentialDelay(this.pollBackoff, retry), left) };
          },
        }),
        catchError((error: unknown) =>
          error instanceof PeerHoldsLock
            ? of<Turn<T>>({ kind: 'gave-up' })
            : throwError(() => error),
        ),
      ),
    );
  }

  /** Closes the connection this lock opened itself; a client passed in is left open. */
  close(): Promise<void> {
    return this.connection.close();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  private async runAsHolder<T>(
    lockKey: string,
    owner: string,
    work: ExclusiveWork<T>,
    fetchTimeoutMs: number,
  ): Promise<T> {
    const lease = keepLeaseAlive(() => this.renew(lockKey, owner), this.leaseMs, fetchTimeoutMs);
    try {
      // Double-checked: a peer may have stored the token between our caller's read and our SET.
      const stored = await work.poll();
      if (stored !== undefined) return stored;
      return await work.fetch();
    } finally {
      lease.unsubscribe();
      await this.release(lockKey, owner);
    }
  }

  private async tryAcquire(lockKey: string, owner: string): Promise<Acquired> {
    const expiration = { type: 'PX', value: this.leaseMs } as const;
    const sent = await this.command('Redis SET NX', (client) =>
      client.set(lockKey, owner, { condition: 'NX', expiration }),
    );
    if (!sent) return 'redis-unavailable';
    this.outage.succeeded();
    if (sent.reply === 'OK') return 'acquired';
    await this.expireIfPermanent(lockKey);
    return 'held-by-peer';
  }

  /** A failure is left to the next try: the wait is bounded by `maxWaitMs` all the same. */
  private async expireIfPermanent(lockKey: string): Promise<void> {
    const sent = await this.command('Redis lock expiry', (client) =>
      client.eval(EXPIRE_IF_PERMANENT, { keys: [lockKey], arguments: [String(this.leaseMs)] }),
    );
    if (sent?.reply === 1) {
      this.logger.warn(
        `Lock key "${lockKey}" had no expiry (left by a crashed or older writer); ` +
          `it now expires in ${this.leaseMs} ms`,
      );
    }
  }

  /** False once the lock is no longer ours; a Redis failure keeps trying (the lease may hold). */
  private async renew(lockKey: string, owner: string): Promise<boolean> {
    const sent = await this.command('Redis lock renewal', (client) =>
      client.eval(RENEW_IF_OWNER, { keys: [lockKey], arguments: [owner, String(this.leaseMs)] }),
    );
    return !sent || sent.reply === 1;
  }

  /** A release that fails is left to the lease: the lock expires and waiters take it over. */
  private async release(lockKey: string, owner: string): Promise<void> {
    await this.command('Redis lock release', (client) =>
      client.eval(RELEASE_IF_OWNER, { keys: [lockKey], arguments: [owner] }),
    );
  }

  /** One Redis call, bounded by `commandTimeoutMs`; undefined when it failed (logged once). */
  private async command(
    what: string,
    run: (client: RedisLockClient) => Promise<unknown>,
  ): Promise<{ reply: unknown } | undefined> {
    try {
      const client = await this.connection.connected();
      return { reply: await withDeadline(run(client), this.commandTimeoutMs, what) };
    } catch (error) {
      // After close (shutdown), a holder's release just fails: the lease frees the key.
      if (!this.connection.isClosed) this.outage.failed(error);
      return undefined;
    }
  }
}
