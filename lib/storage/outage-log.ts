import { Logger } from '@nestjs/common';
import { DeadlineExceededError } from './deadline';

/**
 * Logs a dependency going away once, and coming back once, however many calls fail in between:
 * a Redis outage under load would otherwise write one warning per request.
 */
export class OutageLog {
  private down = false;

  constructor(
    private readonly logger: Logger,
    private readonly dependency: string,
    private readonly consequence: string,
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      `${this.dependency} unavailable (${describeError(error)}); ${this.consequence}`,
    );
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log(`${this.dependency} recovered`);
  }
}

/**
 * The error's name and code, not its message: a store's error may quote the value it was given
 * (a token). Our own timeout message is safe and says what was slow.
 */
export function describeError(error: unknown): string {
  if (error instanceof DeadlineExceededError) return error.message;
  // node-redis errors keep the generic name 'Error'; their class says what happened.
  const name =
    error instanceof Error
      ? error.name === 'Error' && error.constructor !== Error
        ? error.constructor.name
        : error.name
      : 'Error';
  const code = (error as { code?: unknown } | null | undefined)?.code;
  const reply = redisErrorCode(error);
  return typeof code === 'string' ? `${name} ${code}` : reply ? `${name} ${reply}` : name;
}

/** Redis error replies (RESP simple errors) begin with one of these codes; the rest is prose. */
const REDIS_ERROR_CODES = new Set([
  'WRONGPASS',
  'NOAUTH',
  'NOPERM',
  'READONLY',
  'LOADING',
  'MISCONF',
  'OOM',
  'BUSY',
  'MASTERDOWN',
  'CLUSTERDOWN',
]);

/** The code a Redis error reply begins with (`WRONGPASS`), when it is a known one. */
export function redisErrorCode(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : undefined;
  const first = message?.split(' ', 1)[0];
  return first !== undefined && REDIS_ERROR_CODES.has(first) ? first : undefined;
}
