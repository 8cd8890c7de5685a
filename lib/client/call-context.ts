import { randomUUID } from 'node:crypto';
import { HookContext } from '../hooks/hook.types';

/** The state of one call (one subscription) across its attempts. */
export class CallContext {
  readonly requestId = randomUUID();
  readonly metadata: Record<string, unknown> = {};
  private attempts = 0;
  private authRetries = 0;

  constructor(readonly clientName: string) {}

  /** Starts the next send and returns the context its hooks see. */
  nextAttempt(): HookContext {
    this.attempts += 1;
    return Object.freeze({
      clientName: this.clientName,
      requestId: this.requestId,
      attempt: this.attempts,
      authAttempt: this.authRetries,
      metadata: this.metadata,
    });
  }

  /** Called by the auth retry before it sends again with a new credential. */
  countAuthRetry(): void {
    this.authRetries += 1;
  }
}
