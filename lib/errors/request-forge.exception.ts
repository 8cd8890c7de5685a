import { inspect } from 'node:util';

export interface RequestForgeExceptionOptions {
  clientName?: string;
  attempts?: number;
  /**
   * What caused this error. Only a safe summary (name, code, message) is kept: the raw cause is
   * never stored, since an AxiosError carries the request config with its Authorization header.
   */
  cause?: unknown;
}

/** A cause reduced to fields that can hold no credential. */
export interface SafeCause {
  name: string;
  code?: string;
  message: string;
}

/** Base of every error request-forge throws. */
export class RequestForgeException extends Error {
  clientName?: string;
  attempts?: number;
  declare readonly cause?: SafeCause;

  constructor(message: string, options: RequestForgeExceptionOptions = {}) {
    super(message);
    this.name = new.target.name;
    if (options.clientName !== undefined) this.clientName = options.clientName;
    if (options.attempts !== undefined) this.attempts = options.attempts;
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: summarizeCause(options.cause),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) out[key] = value;
    }
    if (this.cause) out.cause = this.cause;
    return out;
  }

  [inspect.custom](): string {
    const fields = Object.entries(this.toJSON())
      .filter(([key]) => key !== 'name' && key !== 'message')
      .map(([key, value]) => `  ${key}: ${inspect(value, { depth: 4, breakLength: Infinity })}`);
    const stack = this.stack ?? `${this.name}: ${this.message}`;
    return fields.length ? `${stack} {\n${fields.join(',\n')}\n}` : stack;
  }
}

function summarizeCause(cause: unknown): SafeCause {
  if (cause instanceof RequestForgeException) {
    return { name: cause.name, message: cause.message };
  }
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      ...(typeof code === 'string' ? { code } : {}),
      // Node and axios messages carry host and port at most; strip anything that looks like a
      // header or query string in case a third-party error embeds one.
      message: cause.message.replace(/[?#].*$/, '').slice(0, 300),
    };
  }
  return { name: 'Error', message: typeof cause === 'string' ? 'error' : 'unknown error' };
}
