import { randomUUID } from 'node:crypto';
import { HookContext } from '../hooks/hook.types';

/** The call each typed attempt error came from, for the auth retry's count. */
const calls = new WeakMap<object, CallContext>();

/**
 * The state of one call (one subscription) across its attempts, made only for a client whose
 * hooks or logger read it: a plain call pays for no UUID and no context object.
 */
export class CallContext {
  readonly requestId = randomUUID();
  readonly metadata: Record<string, unknown> = {};
  private attempts = 0;
  private authRetries = 0;

  constructor(readonly clientName: string) {}

  /** The call `error` (a typed attempt error) belongs to, if it has a context. */
  static of(error: unknown): CallContext | undefined {
    return typeof error === 'object' && error !== null ? calls.get(error) : undefined;
  }

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

  /** Marks `error` as an attempt error of this call. */
  owns(error: unknown): void {
    if (typeof error === 'object' && error !== null) calls.set(error, this);
  }

  /** Called by the auth retry before it sends again with a new credential. */
  countAuthRetry(): void {
    this.authRetries += 1;
  }
}
