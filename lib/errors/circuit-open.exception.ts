import { RequestForgeException, RequestForgeExceptionOptions } from './request-forge.exception';

/** The circuit breaker is open: the request was not sent. */
export class CircuitOpenException extends RequestForgeException {
  /** When the breaker lets a probe through, as epoch ms. */
  readonly retryAt?: number;

  constructor(message: string, init: RequestForgeExceptionOptions & { retryAt?: number } = {}) {
    super(message, init);
    if (init.retryAt !== undefined) this.retryAt = init.retryAt;
  }
}
