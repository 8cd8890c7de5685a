import { Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { catchError, defer, lastValueFrom, of, throwError } from 'rxjs';
import { exponentialDelay } from '../retry/backoff';
import { retryLoop } from '../retry/retry-loop';
import { withDeadline } from './deadline';
import { OutageLog } from './outage-log';
import { OwnedRedisLockClient, createOwnedRedisClient } from './own-redis-client';
import { RedisLockClient } from './redis-lock-client';
import { ExclusiveWork, TokenLock } from './token-lock.interface';

export interface RedisTokenLockOptions {
  /** Prepended to the storage key: `<keyPrefix><key>`. */
  keyPrefix?: string;
  /** The lock lives `fetchTimeoutMs + lockTtlMarginMs`, so it outlasts the fetch it guards. */
  lockTtlMarginMs?: number;
  /** Longest a waiter waits for a peer's token before fetching. Default: lock TTL + fetch timeout. */
  maxWaitMs?: number;
  /** A Redis call slower than this counts as an outage. */
  commandTimeoutMs?: number;
  /** Waiters poll the storage with jittered backoff between these delays. */
  minPollDelayMs?: number;
  maxPollDelayMs?: number;
}

export const DEFAULT_REDIS_LOCK_KEY_PREFIX = 'api_tokens:lock:';
const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

// Deletes the key only while it still holds our owner value: a holder whose lock expired and
// was taken over must not release its successor's lock.
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

type Acquired = 'acquired' | 'held-by-peer' | 'redis-unavailable';

/** How a wait for the lock ended. */
type Turn<T> =
  { kind: 'acquired' | 'redis-unavailable' | 'gave-up' } | { kind: 'stored'; token: T };

/** A peer holds the lock and has stored nothing yet: the one failure the wait retries. */
class PeerHoldsLock extends Error {}

/**
 * Cross-process single flight on Redis: `SET key owner NX PX ttl`, released by compare-and-delete.
 * One holder fetches; the others retry the lock with jittered backoff, reading the storage for
 * its token between tries, take the lock over if it expires, and fetch directly after
 * `maxWaitMs`. Redis trouble never fails a fetch: without Redis every caller fetches on its own
 * (logged once per outage). Only the cross-process part is done here: the TokenManager lets one
 * caller per process in.
 */
export class RedisTokenLock implements TokenLock, OnModuleDestroy {
  private readonly logger = new Logger(RedisTokenLock.name);
  private readonly outage = new OutageLog(
    this.logger,
    'Redis token lock',
    'token fetches are not shared between processes until it is back',
  );
  private readonly keyPrefix: string;
  private readonly lockTtlMarginMs: number;
  private readonly maxWaitMs?: number;
  private readonly commandTimeoutMs: number;
  private readonly minPollDelayMs: number;
  private readonly maxPollDelayMs: number;
  private readonly url?: string;
  private client?: Promise<RedisLockClient>;
  private owned?: Promise<OwnedRedisLockClient>;
  private connecting?: Promise<unknown>;
  private clientUsed = false;
  private closed = false;

  /** A lock on its own connection to `url`, closed by `close()` / `onModuleDestroy`. */
  static fromUrl(url: string, options: RedisTokenLockOptions = {}): RedisTokenLock {
    return new RedisTokenLock({ url }, options);
  }

  /** @param connection a node-redis client (left open on close) or `{ url }` (closed on close) */
  constructor(connection: RedisLockClient | { url: string }, options: RedisTokenLockOptions = {}) {
    if ('url' in connection && typeof connection.url === 'string') this.url = connection.url;
    else this.client = Promise.resolve(connection as RedisLockClient);
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_LOCK_KEY_PREFIX;
    this.lockTtlMarginMs = options.lockTtlMarginMs ?? 5_000;
    this.maxWaitMs = options.maxWaitMs;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 500;
    this.minPollDelayMs = options.minPollDelayMs ?? 20;
    this.maxPollDelayMs = options.maxPollDelayMs ?? 250;
  }

  async runExclusive<T>(key: string, work: ExclusiveWork<T>): Promise<T> {
    const lockKey = this.keyPrefix + key;
    const owner = randomUUID();
    const fetchTimeoutMs =
      Number.isFinite(work.fetchTimeoutMs) && work.fetchTimeoutMs > 0
        ? work.fetchTimeoutMs
        : DEFAULT_FETCH_TIMEOUT_MS;
    const ttlMs = Math.ceil(fetchTimeoutMs + this.lockTtlMarginMs);
    const waitMs = this.maxWaitMs ?? ttlMs + fetchTimeoutMs;
    const turn = await this.waitForTurn(lockKey, owner, ttlMs, waitMs, work);
    switch (turn.kind) {
      case 'stored':
        return turn.token;
      case 'acquired':
        return this.runAsHolder(lockKey, owner, work);
      case 'gave-up':
        this.logger.warn(`No token appeared for "${key}" while a peer held the lock; fetching`);
        return work.fetch();
      default:
        return work.fetch();
    }
  }

  /**
   * Tries the lock until it is ours, a peer's token is stored, Redis fails or `waitMs` is over.
   * Each try that finds a peer holding the lock is a failed attempt of the project's retry loop.
   */
  private waitForTurn<T>(
    lockKey: string,
    owner: string,
    ttlMs: number,
    waitMs: number,
    work: ExclusiveWork<T>,
  ): Promise<Turn<T>> {
    const giveUpAt = Date.now() + waitMs;
    const attempt = defer(async (): Promise<Turn<T>> => {
      const acquired = await this.tryAcquire(lockKey, owner, ttlMs);
      if (acquired !== 'held-by-peer') return { kind: acquired };
      const token = await work.poll();
      if (token !== undefined) return { kind: 'stored', token };
      throw new PeerHoldsLock();
    });
    const backoff = {
      baseDelay: this.minPollDelayMs,
      maxDelay: this.maxPollDelayMs,
      multiplier: 2,
      jitter: true,
      random: Math.random,
    };
    return lastValueFrom(
      attempt.pipe(
        retryLoop({
          now: Date.now,
          deadlineAt: () => giveUpAt,
          start: () => (error: unknown, retry: number) => {
            const left = giveUpAt - Date.now();
            if (!(error instanceof PeerHoldsLock) || left <= 0) return undefined;
            // Capped to the time left, so the last try lands on the deadline, not before it.
            return { delayMs: Math.min(exponentialDelay(backoff, retry), left) };
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
  async close(): Promise<void> {
    this.closed = true;
    const owned = this.owned;
    this.owned = undefined;
    const client = await owned?.catch(() => undefined);
    if (client?.isOpen) await client.close();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  private async runAsHolder<T>(lockKey: string, owner: string, work: ExclusiveWork<T>): Promise<T> {
    try {
      // Double-checked: a peer may have stored the token between our caller's read and our SET.
      const stored = await work.poll();
      if (stored !== undefined) return stored;
      return await work.fetch();
    } finally {
      await this.release(lockKey, owner);
    }
  }

  private async tryAcquire(lockKey: string, owner: string, ttlMs: number): Promise<Acquired> {
    try {
      const client = await this.connectedClient();
      const reply = await withDeadline(
        client.set(lockKey, owner, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
        this.commandTimeoutMs,
        'Redis SET NX',
      );
      this.outage.succeeded();
      return reply === 'OK' ? 'acquired' : 'held-by-peer';
    } catch (error) {
      this.outage.failed(error);
      return 'redis-unavailable';
    }
  }

  private async release(lockKey: string, owner: string): Promise<void> {
    try {
      const client = await this.connectedClient();
      await withDeadline(
        client.eval(RELEASE_IF_OWNER, { keys: [lockKey], arguments: [owner] }),
        this.commandTimeoutMs,
        'Redis lock release',
      );
    } catch (error) {
      // The lock expires on its own; waiters take it over then.
      this.outage.failed(error);
    }
  }

  private connectedClient(): Promise<RedisLockClient> {
    if (this.closed) return Promise.reject(new Error('RedisTokenLock is closed'));
    this.client ??= this.openOwnClient();
    return this.client.then((client) => this.ensureConnected(client));
  }

  private openOwnClient(): Promise<RedisLockClient> {
    this.owned = createOwnedRedisClient(this.url as string).then((client) => {
      // node-redis needs a listener or an idle reconnect error would crash the process. An
      // outage is reported when a lock call fails: while tokens are served from storage the
      // lock is idle and has nothing to add to the storage's warning.
      client.on('error', () => undefined);
      return client;
    });
    return this.owned;
  }

  private async ensureConnected(client: RedisLockClient): Promise<RedisLockClient> {
    if (!client.isOpen) {
      // Connected on first use, like @keyv/redis does; a client its owner closed stays closed.
      if (this.clientUsed) throw new Error('the Redis client is closed');
      this.connecting = client.connect();
      // node-redis keeps retrying; the pending connect must never surface as unhandled.
      this.connecting.catch((error) => this.outage.failed(error));
    }
    this.clientUsed = true;
    if (this.connecting) {
      await withDeadline(this.connecting, this.commandTimeoutMs, 'Redis connect').finally(() => {
        this.connecting = undefined;
      });
    }
    return client;
  }
}
