import { inspect } from 'node:util';

export interface RequestForgeExceptionOptions {
  clientName?: string;
  attempts?: number;
  /** Kept only as a safe summary (an AxiosError's config carries the Authorization header). */
  cause?: unknown;
}

/** A cause reduced to fields that can hold no credential. */
export interface SafeCause {
  name: string;
  code?: string;
  message: string;
}

/**
 * The classes an exception is an instance of, by name, under a key both builds share: an app that
 * loads the CommonJS and the ESM build (a CommonJS library next to ESM code) has two copies of
 * each class, and `instanceof` would otherwise fail across them.
 */
const CLASS_NAMES = Symbol.for('nestjs-request-forge.exception-classes');

/** Base of every error request-forge throws. */
export class RequestForgeException extends Error {
  clientName?: string;
  attempts?: number;
  declare readonly cause?: SafeCause;

  constructor(message: string, options: RequestForgeExceptionOptions = {}) {
    // Error keeps `cause` as a non-enumerable own property, as toJSON and inspect expect.
    super(message, options.cause === undefined ? {} : { cause: summarizeCause(options.cause) });
    this.name = new.target.name;
    Object.defineProperty(this, CLASS_NAMES, { value: classNames(new.target) });
    this.assignDefined(options, ['clientName', 'attempts']);
  }

  /** `instanceof` by class name, so an exception of the other build's copy is recognised too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const names = (value as { [CLASS_NAMES]?: unknown } | null | undefined)?.[CLASS_NAMES];
    return Array.isArray(names) && names.includes(this.name);
  }

  /** Copies the `keys` `init` gives a value (not `undefined` or `''`); others stay out of `toJSON`. */
  protected assignDefined<I extends object>(init: I, keys: readonly (keyof I & keyof this)[]) {
    for (const key of keys) {
      const value = init[key];
      if (value !== undefined && value !== '') (this as Record<PropertyKey, unknown>)[key] = value;
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

/** `HttpStatusException`, `RequestForgeException`: the class and those it extends, up to Error. */
function classNames(target: abstract new (...args: never[]) => unknown): readonly string[] {
  const names: string[] = [];
  for (
    let c: unknown = target;
    typeof c === 'function' && c !== Error;
    c = Object.getPrototypeOf(c)
  ) {
    names.push((c as { name: string }).name);
  }
  return Object.freeze(names);
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
      // Node and axios messages carry host and port at most; a third-party one may embed a query.
      message: cause.message.replace(/[?#].*$/, '').slice(0, 300),
    };
  }
  return { name: 'Error', message: typeof cause === 'string' ? 'error' : 'unknown error' };
}

/** What an exception about one request is told: also where the request went. */
export interface RequestExceptionInit extends RequestForgeExceptionOptions {
  method?: string;
  /** Already redacted. */
  url?: string;
}

/** The server answered with a status that is not 2xx (after any retries). */
export class HttpStatusException extends RequestForgeException {
  readonly status!: number;
  readonly method?: string;
  readonly url?: string;
  /** Response headers and parsed body, redacted. */
  readonly response!: { headers: Record<string, string>; data: unknown };

  constructor(
    message: string,
    init: RequestExceptionInit & Pick<HttpStatusException, 'status' | 'response'>,
  ) {
    super(message, init);
    this.assignDefined(init, ['status', 'method', 'url', 'response']);
  }

  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }

  get isServerError(): boolean {
    return this.status >= 500;
  }
}

/** The request did not complete within the configured timeout. */
export class TimeoutException extends RequestForgeException {
  readonly method?: string;
  readonly url?: string;
  readonly timeout?: number;

  constructor(message: string, init: RequestExceptionInit & { timeout?: number } = {}) {
    super(message, init);
    this.assignDefined(init, ['method', 'url', 'timeout']);
  }
}

/** No answer: refused, reset, DNS failure, socket closed. */
export class ConnectionException extends RequestForgeException {
  readonly method?: string;
  readonly url?: string;
  readonly code?: string;

  constructor(message: string, init: RequestExceptionInit & { code?: string } = {}) {
    super(message, init);
    this.assignDefined(init, ['method', 'url', 'code']);
  }
}

/** A token could not be obtained, or the API kept refusing it after the auth retries. */
export class AuthenticationException extends RequestForgeException {
  readonly serviceName!: string;
  /** RFC 6749 §5.2 `error` code, e.g. `invalid_client`. */
  readonly error?: string;
  readonly errorDescription?: string;
  /** HTTP status of the token endpoint or of the API that refused the token. */
  readonly status?: number;
  /** Pipeline step that failed, when the token came from a pipeline. */
  readonly step?: string;

  constructor(
    message: string,
    init: RequestForgeExceptionOptions & Omit<AuthenticationException, keyof RequestForgeException>,
  ) {
    super(message, init);
    this.assignDefined(init, ['serviceName', 'error', 'errorDescription', 'status', 'step']);
  }
}

/** The circuit breaker is open: the request was not sent. */
export class CircuitOpenException extends RequestForgeException {
  /** When the breaker lets a probe through, as epoch ms. */
  readonly retryAt?: number;

  constructor(message: string, init: RequestForgeExceptionOptions & { retryAt?: number } = {}) {
    super(message, init);
    this.assignDefined(init, ['retryAt']);
  }
}

/** Invalid configuration; the message names the client (when known) and the field. */
export class ConfigurationException extends RequestForgeException {
  readonly field?: string;

  constructor(message: string, init: RequestForgeExceptionOptions & { field?: string } = {}) {
    super(message, init);
    this.assignDefined(init, ['field']);
  }
}
