import { Logger } from '@nestjs/common';

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

  get isDown(): boolean {
    return this.down;
  }

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

/** Name and message only; credentials in a connection URL are masked. */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : String(error ?? 'unknown error');
  return text.replace(/\/\/[^/\s@]*@/g, '//***@');
}
