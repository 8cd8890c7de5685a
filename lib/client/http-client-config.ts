import { RequestAuth } from '../auth/request-auth.interface';

/** Everything a ForgeClient needs; immutable, made by `HttpClientConfigBuilder.build()`. */
export interface HttpClientConfigInit {
  baseUrl: string;
  timeout?: number;
  headers: Readonly<Record<string, string>>;
  auth?: RequestAuth;
  excludedPaths: readonly string[];
  excludedPathPatterns: readonly string[];
}

export class HttpClientConfig {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly timeout?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth?: RequestAuth;
  readonly excludedPaths: readonly string[];
  readonly excludedPathPatterns: readonly string[];

  constructor(init: HttpClientConfigInit) {
    this.baseUrl = init.baseUrl;
    if (init.timeout !== undefined) this.timeout = init.timeout;
    this.headers = Object.freeze({ ...init.headers });
    if (init.auth) this.auth = init.auth;
    this.excludedPaths = Object.freeze([...init.excludedPaths]);
    this.excludedPathPatterns = Object.freeze([...init.excludedPathPatterns]);
    Object.freeze(this);
  }
}
