import { RequestForgeException, RequestForgeExceptionOptions } from './request-forge.exception';

export interface RequestLocation {
  method?: string;
  /** Already redacted. */
  url?: string;
}

/** The request did not complete within the configured timeout. */
export class TimeoutException extends RequestForgeException {
  readonly method?: string;
  readonly url?: string;
  readonly timeout?: number;

  constructor(
    message: string,
    init: RequestForgeExceptionOptions & RequestLocation & { timeout?: number } = {},
  ) {
    super(message, init);
    if (init.method) this.method = init.method;
    if (init.url) this.url = init.url;
    if (init.timeout !== undefined) this.timeout = init.timeout;
  }
}

/** No answer: refused, reset, DNS failure, socket closed. */
export class ConnectionException extends RequestForgeException {
  readonly method?: string;
  readonly url?: string;
  readonly code?: string;

  constructor(
    message: string,
    init: RequestForgeExceptionOptions & RequestLocation & { code?: string } = {},
  ) {
    super(message, init);
    if (init.method) this.method = init.method;
    if (init.url) this.url = init.url;
    if (init.code) this.code = init.code;
  }
}
