import { DeadlineExceededError, withDeadline } from './deadline';
import { describeError, redisErrorCode } from './outage-log';

/** Redis refusing the login: another try gets the same answer. */
const REFUSED_LOGIN = new Set(['WRONGPASS', 'NOAUTH', 'NOPERM']);

/**
 * The part of a node-redis v5 client (`createClient` from `@redis/client`, re-exported by
 * `@keyv/redis`) the Redis lock uses. Any client with these methods fits.
 */
export interface RedisLockClient {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'PX'; value: number } },
  ): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * The Redis connection of a `RedisTokenLock`: a client passed in (left open on close) or one of
 * its own for a URL (opened on first use, closed on close).
 */
export class RedisLockConnection {
  private readonly url?: string;
  private client?: Promise<RedisLockClient>;
  private connecting?: Promise<unknown>;
  private clientUsed = false;
  private closed = false;
  private lastError?: unknown;

  /** @param onFailure hears of a failed connect (node-redis keeps retrying in the background) */
  constructor(
    connection: RedisLockClient | { url: string },
    private readonly commandTimeoutMs: number,
    private readonly onFailure: (error: unknown) => void,
  ) {
    if ('url' in connection && typeof connection.url === 'string') this.url = connection.url;
    else this.client = Promise.resolve(connection as RedisLockClient);
  }

  /** Closed by `close()`: calls after it fail, and are no outage. */
  get isClosed(): boolean {
    return this.closed;
  }

  connected(): Promise<RedisLockClient> {
    if (this.closed) return Promise.reject(new Error('RedisTokenLock is closed'));
    this.client ??= this.openOwnClient();
    return this.client.then((client) => this.ensureConnected(client));
  }

  /** Closes the connection opened here; a client passed in is left open. */
  async close(): Promise<void> {
    this.closed = true;
    const owned = this.url === undefined ? undefined : this.client;
    this.client = undefined;
    const client = await owned?.catch(() => undefined);
    if (client?.isOpen) await (client as RedisLockClient & { close(): Promise<unknown> }).close();
  }

  private openOwnClient(): Promise<RedisLockClient> {
    return loadRedisClient().then(({ createClient }) => {
      const client = createClient({
        url: this.url,
        // While Redis is down, commands fail at once instead of queueing until it is back: the
        // lock then lets the caller fetch directly.
        disableOfflineQueue: true,
        socket: {
          connectTimeout: 2_000,
          // Refused credentials will not change by trying again: stop, and say why (the lock
          // then lets callers fetch directly, as in an outage).
          reconnectStrategy: (retries: number, cause: Error) =>
            REFUSED_LOGIN.has(redisErrorCode(cause) ?? '')
              ? cause
              : Math.min(50 * 2 ** retries, 2_000),
        },
      });
      // Without a listener an idle reconnect error would crash the process; outages are logged
      // when a lock call fails (an idle lock has nothing to add to the storage's warning). The
      // last one says why a connect is slow.
      client.on('error', (error: unknown) => {
        this.lastError = error;
      });
      return client;
    });
  }

  private async ensureConnected(client: RedisLockClient): Promise<RedisLockClient> {
    if (!client.isOpen) {
      // Connected on first use, like @keyv/redis does; a client its owner closed stays closed.
      if (this.clientUsed) throw new Error('the Redis client is closed');
      this.connecting = client.connect();
      // node-redis keeps retrying; the pending connect must never surface as unhandled.
      this.connecting.catch((error) => this.onFailure(error));
    }
    this.clientUsed = true;
    if (this.connecting) {
      await withDeadline(this.connecting, this.commandTimeoutMs, 'Redis connect')
        .catch((error: unknown) => {
          if (!(error instanceof DeadlineExceededError) || this.lastError === undefined)
            throw error;
          const why = `Redis connect (last error: ${describeError(this.lastError)})`;
          throw new DeadlineExceededError(why, this.commandTimeoutMs);
        })
        .finally(() => {
          this.connecting = undefined;
        });
    }
    return client;
  }
}

/** `@keyv/redis` is loaded only here, so apps that never use the Redis lock need not install it. */
export function loadRedisClient(): Promise<typeof import('@keyv/redis')> {
  return import('@keyv/redis');
}
