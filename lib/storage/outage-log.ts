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
  return typeof code === 'string' ? `${name} ${code}` : name;
}
