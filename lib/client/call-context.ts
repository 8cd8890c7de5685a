import { randomUUID } from 'node:crypto';
import { AppliedAuth } from '../auth/request-auth.interface';
import { HookContext } from '../hooks/hook.types';

/**
 * Where a typed attempt error came from: its call (when the client made a context for it), and
 * the credential the attempt sent: the auth retry invalidates exactly that token, and only a
 * refused token makes the final 401 an authentication failure.
 */
interface AttemptOrigin {
  call?: CallContext;
  sent?: AppliedAuth;
}

/** Kept off the error object itself so that it is never serialized. */
const origins = new WeakMap<object, AttemptOrigin>();

export function recordAttemptOrigin(error: unknown, origin: AttemptOrigin): void {
  if (typeof error === 'object' && error !== null) origins.set(error, origin);
}

export function attemptOriginOf(error: unknown): AttemptOrigin | undefined {
  return typeof error === 'object' && error !== null ? origins.get(error) : undefined;
}

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
