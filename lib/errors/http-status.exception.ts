import { RequestForgeException, RequestForgeExceptionOptions } from './request-forge.exception';

export interface HttpStatusExceptionInit extends RequestForgeExceptionOptions {
  status: number;
  method?: string;
  /** Already redacted. */
  url?: string;
  /** Response headers and parsed body, already redacted. */
  response: { headers: Record<string, string>; data: unknown };
}

/** The server answered with a status that is not 2xx (after any retries). */
export class HttpStatusException extends RequestForgeException {
  readonly status: number;
  readonly method?: string;
  readonly url?: string;
  readonly response: { headers: Record<string, string>; data: unknown };

  constructor(message: string, init: HttpStatusExceptionInit) {
    super(message, init);
    this.status = init.status;
    if (init.method) this.method = init.method;
    if (init.url) this.url = init.url;
    this.response = init.response;
  }

  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }

  get isServerError(): boolean {
    return this.status >= 500;
  }
}
