import { ApiKeyAuth, BasicAuth, BearerAuth } from '../auth/static-auth';
import { RequestAuth } from '../auth/request-auth.interface';
import { appendHooks, ForgeHook, ForgeHooks, NO_HOOKS, NormalizedHooks } from '../hooks/hook.types';
import { LoggingOptions } from '../hooks/request-logger';
import { ConfigProblem } from './config-validation';
import { HttpClientConfig } from './http-client-config';

interface PendingAuth {
  method: string;
  create(problem: ConfigProblem): RequestAuth;
}

/**
 * Fluent builder for an immutable `HttpClientConfig`. Values are validated at `build()`, which
 * throws a `ConfigurationException` naming the field.
 */
export class HttpClientConfigBuilder {
  private baseUrl?: string;
  private timeout?: number;
  private readonly headers: Record<string, string> = {};
  private readonly auths: PendingAuth[] = [];
  private excludedPaths: string[] = [];
  private excludedPathPatterns: string[] = [];
  private hooks: NormalizedHooks = NO_HOOKS;
  private logging?: LoggingOptions;

  /** @param clientName named in validation errors */
  constructor(private readonly clientName?: string) {}

  withBaseUrl(url: string): this {
    this.baseUrl = url;
    return this;
  }

  withBearerToken(token: string): this {
    this.auths.push({
      method: 'withBearerToken',
      create: (p) => new BearerAuth(p.requireString('auth.token', token)),
    });
    return this;
  }

  withApiKey(key: string, headerName = 'X-API-Key'): this {
    this.auths.push({
      method: 'withApiKey',
      create: (p) =>
        new ApiKeyAuth(
          p.requireString('auth.key', key),
          p.headerName('auth.headerName', headerName),
        ),
    });
    return this;
  }

  withBasicAuth(username: string, password: string): this {
    this.auths.push({
      method: 'withBasicAuth',
      create: (p) => {
        const user = p.requireString('auth.username', username);
        // RFC 7617 §2: the user-id cannot contain a colon.
        if (user.includes(':')) p.fail('auth.username', 'must not contain ":"');
        if (typeof password !== 'string') p.fail('auth.password', 'is required');
        return new BasicAuth(user, password);
      },
    });
    return this;
  }

  /** Any `RequestAuth` (used by `withTokenAuth` and custom auth methods). */
  withAuth(auth: RequestAuth, method = 'withAuth'): this {
    this.auths.push({ method, create: () => auth });
    return this;
  }

  withExcludedPaths(paths: readonly string[]): this {
    this.excludedPaths = [...paths];
    return this;
  }

  withExcludedPathPatterns(patterns: readonly string[]): this {
    this.excludedPathPatterns = [...patterns];
    return this;
  }

  withTimeout(ms: number): this {
    this.timeout = ms;
    return this;
  }

  withHeaders(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }

  /** Adds hooks after those already added; they run in registration order. */
  withHooks(hooks: ForgeHooks | ForgeHook): this {
    this.hooks = appendHooks(this.hooks, hooks);
    return this;
  }

  /** Logs every attempt through Nest's Logger, always redacted. */
  withLogging(options: LoggingOptions = {}): this {
    this.logging = { ...options };
    return this;
  }

  build(): HttpClientConfig {
    const p = new ConfigProblem(this.clientName);
    const base = p.httpUrl('baseUrl', this.baseUrl);
    if (this.auths.length > 1) {
      p.fail(
        'auth',
        `allows one auth method, got ${this.auths.map((a) => a.method).join(' and ')}`,
      );
    }
    return new HttpClientConfig({
      baseUrl: base.href.replace(/\/+$/, ''),
      timeout: p.optionalPositiveInt('timeout', this.timeout),
      headers: p.headerRecord('headers', this.headers),
      auth: this.auths[0]?.create(p),
      excludedPaths: p.stringArray('excludedPaths', this.excludedPaths),
      excludedPathPatterns: p.stringArray('excludedPathPatterns', this.excludedPathPatterns),
      hooks: this.hooks,
      logging: this.logging && {
        ...this.logging,
        sensitiveKeys: p.stringArray('logging.sensitiveKeys', this.logging.sensitiveKeys),
      },
    });
  }
}
