import { RequestAuth } from '../auth/request-auth.interface';
import { NO_HOOKS, NormalizedHooks } from '../hooks/hook.types';
import { LoggingOptions } from '../hooks/request-logger';

/** Everything a ForgeClient needs; immutable, made by `HttpClientConfigBuilder.build()`. */
export interface HttpClientConfigInit {
  baseUrl: string;
  timeout?: number;
  headers: Readonly<Record<string, string>>;
  auth?: RequestAuth;
  excludedPaths: readonly string[];
  excludedPathPatterns: readonly string[];
  hooks?: NormalizedHooks;
  logging?: LoggingOptions;
}

export class HttpClientConfig {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly timeout?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth?: RequestAuth;
  readonly excludedPaths: readonly string[];
  readonly excludedPathPatterns: readonly string[];
  readonly hooks: NormalizedHooks;
  /** Absent: no request logging. */
  readonly logging?: Readonly<LoggingOptions>;

  constructor(init: HttpClientConfigInit) {
    this.baseUrl = init.baseUrl;
    if (init.timeout !== undefined) this.timeout = init.timeout;
    this.headers = Object.freeze({ ...init.headers });
    if (init.auth) this.auth = init.auth;
    this.excludedPaths = Object.freeze([...init.excludedPaths]);
    this.excludedPathPatterns = Object.freeze([...init.excludedPathPatterns]);
    this.hooks = init.hooks ?? NO_HOOKS;
    if (init.logging) this.logging = Object.freeze({ ...init.logging });
    Object.freeze(this);
  }
}
