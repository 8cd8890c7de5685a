import { RequestForgeException, RequestForgeExceptionOptions } from './request-forge.exception';

/** Invalid configuration; the message names the client (when known) and the field. */
export class ConfigurationException extends RequestForgeException {
  readonly field?: string;

  constructor(message: string, init: RequestForgeExceptionOptions & { field?: string } = {}) {
    super(message, init);
    if (init.field) this.field = init.field;
  }
}
