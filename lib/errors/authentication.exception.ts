import { RequestForgeException, RequestForgeExceptionOptions } from './request-forge.exception';

export interface AuthenticationExceptionInit extends RequestForgeExceptionOptions {
  serviceName: string;
  /** RFC 6749 §5.2 `error` code, e.g. `invalid_client`. */
  error?: string;
  errorDescription?: string;
  /** HTTP status of the token endpoint or of the API that refused the token. */
  status?: number;
  /** Pipeline step that failed, when the token came from a pipeline. */
  step?: string;
}

/** A token could not be obtained, or the API kept refusing it after the auth retries. */
export class AuthenticationException extends RequestForgeException {
  readonly serviceName: string;
  readonly error?: string;
  readonly errorDescription?: string;
  readonly status?: number;
  readonly step?: string;

  constructor(message: string, init: AuthenticationExceptionInit) {
    super(message, init);
    this.serviceName = init.serviceName;
    if (init.error !== undefined) this.error = init.error;
    if (init.errorDescription !== undefined) this.errorDescription = init.errorDescription;
    if (init.status !== undefined) this.status = init.status;
    if (init.step !== undefined) this.step = init.step;
  }
}
