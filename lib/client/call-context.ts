import { randomUUID } from 'node:crypto';
import { AppliedAuth } from '../auth/request-auth.interface';
import { HookContext } from '../hooks/hook.types';
import { RequestFailure } from '../retry/request-failure';

/**
 * An attempt's failure with its call and the credential it sent: the auth retry invalidates
 * exactly that token, and only a refused token makes the final 401 an authentication failure.
 */
export interface AttemptFailure extends RequestFailure {
  call?: CallContext;
  sent?: AppliedAuth;
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

  countAuthRetry(): void {
    this.authRetries += 1;
  }
}
