import { AxiosError, AxiosHeaders, AxiosRequestConfig, AxiosResponse } from 'axios';
import { defer, from, Observable } from 'rxjs';
import { normalizePath } from '../auth/path-exclusion';
import { ForgeClient } from '../client/forge-client';
import { HttpClientConfigBuilder } from '../client/http-client-config.builder';
import { RequestTarget, targetResolver } from '../client/request-target';
import { toForgeException } from '../errors/http-error.mapper';
import { defaultRedactor } from '../errors/redaction';
import { lowerCaseHeaders } from '../transport/header-values';

/** A canned answer. `status` defaults to 200; one outside 2xx fails as a real client fails. */
export interface StubAnswer<T = unknown> {
  status?: number;
  data?: T;
  headers?: Record<string, string>;
}

/** One call the stub received, as the code under test made it. */
export interface ForgeClientStubCall {
  /** Upper case. */
  method: string;
  /** As passed (`/orders`, `orders` or absolute). */
  url: string;
  data?: unknown;
  /** Header names in lower case. */
  headers: Record<string, string>;
  params?: unknown;
}

/** An answer, or a function computing one from the call (sync or async; a throw fails the call). */
export type StubResponder<T = unknown> =
  StubAnswer<T> | ((call: ForgeClientStubCall) => StubAnswer<T> | Promise<StubAnswer<T>>);

export interface ForgeClientStubOptions {
  /** Base URL relative request URLs resolve against. Default `http://forge-client-stub.invalid`. */
  baseUrl?: string;
  /** Client name, as in errors. */
  name?: string;
}

interface Route {
  method: string;
  path: string | RegExp;
  responder: StubResponder;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content' };

/**
 * A `ForgeClient` for unit tests, installed with
 * `overrideProvider(getForgeClientToken(name)).useValue(stub)`: canned answers by method and path,
 * the calls it received, and for a status outside 2xx (or one `validateStatus` refuses) the same
 * `HttpStatusException` a real client raises. Every method returns a cold Observable; a request nothing matches errors, naming
 * it. Nothing is sent anywhere.
 */
export class ForgeClientStub extends ForgeClient {
  readonly calls: ForgeClientStubCall[] = [];
  private readonly routes: Route[] = [];
  private readonly resolveTarget: (url: string | undefined) => RequestTarget;
  private readonly baseOrigin: string;

  constructor(options: ForgeClientStubOptions = {}) {
    const baseUrl = options.baseUrl ?? 'http://forge-client-stub.invalid';
    super(new HttpClientConfigBuilder().withBaseUrl(baseUrl).build(), undefined, options.name);
    this.resolveTarget = targetResolver(baseUrl);
    this.baseOrigin = new URL(baseUrl).origin;
  }

  /**
   * Answers `method` (`'*'` for any) requests to `path`: a string is the exact path without its
   * query, relative to the base URL (`/orders` and `orders` alike); a RegExp is tested against
   * the path with its query. The route registered last wins.
   */
  on<T = unknown>(method: string, path: string | RegExp, answer: StubResponder<T>): this {
    // Without `g`/`y`: a RegExp with them carries `lastIndex` from one call to the next.
    const normalized =
      typeof path === 'string'
        ? normalizePath(path)
        : new RegExp(path.source, path.flags.replace(/[gy]/g, ''));
    this.routes.push({ method: method.toUpperCase(), path: normalized, responder: answer });
    return this;
  }

  /** Forgets the calls and the answers. */
  reset(): void {
    this.calls.length = 0;
    this.routes.length = 0;
  }

  override request<T = unknown>(config: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return defer(() => from(this.answer<T>(config)));
  }

  private async answer<T>(config: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    const method = (config.method ?? 'GET').toUpperCase();
    const call: ForgeClientStubCall = {
      method,
      url: config.url ?? '',
      data: config.data,
      headers: lowerCaseHeaders(config.headers),
      ...(config.params !== undefined ? { params: config.params } : {}),
    };
    this.calls.push(call);
    const target = this.resolveTarget(config.url);
    // A string route is a path under the base URL: the same path elsewhere is another resource.
    const underBase = target.origin === this.baseOrigin ? target.relativePath : undefined;
    const path = target.relativePath ?? target.absolutePath;
    const route = this.find(method, underBase, `${path}${target.search}`);
    if (!route) throw new Error(this.missMessage(method, underBase ?? target.url));
    const answer =
      typeof route.responder === 'function' ? await route.responder(call) : route.responder;
    const status = answer.status ?? 200;
    const response: AxiosResponse<T> = {
      status,
      statusText: STATUS_TEXT[status] ?? '',
      // As a real response has them: names in lower case, data parsed afresh for every call.
      headers: lowerCaseHeaders(answer.headers),
      data: freshCopy(answer.data) as T,
      config: { ...config, url: target.url, method, headers: new AxiosHeaders(call.headers) },
    };
    const accepts = config.validateStatus ?? ((code: number) => code >= 200 && code < 300);
    if (accepts(status)) return response;
    throw this.statusError(response, method, target.url);
  }

  /** The error a real client raises for this answer, made by the library's own mapper. */
  private statusError(response: AxiosResponse, method: string, url: string): unknown {
    const code = response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
    const failed = new AxiosError(
      `Request failed with status code ${response.status}`,
      code,
      response.config,
      undefined,
      response,
    );
    return toForgeException(failed, {
      clientName: this.name,
      method,
      url,
      redactor: defaultRedactor,
    });
  }

  private find(method: string, path: string | undefined, pathAndQuery: string): Route | undefined {
    return [...this.routes]
      .reverse()
      .find(
        (route) =>
          (route.method === '*' || route.method === method) &&
          (typeof route.path === 'string' ? route.path === path : route.path.test(pathAndQuery)),
      );
  }

  private missMessage(method: string, path: string): string {
    const known = this.routes.map((r) => `${r.method} ${String(r.path)}`).join(', ') || 'none';
    return `ForgeClientStub${this.name ? ` "${this.name}"` : ''}: nothing answers ${method} ${path} (answers: ${known})`;
  }
}

/** A deep copy of canned data where it can be made (plain data), else the value itself. */
function freshCopy(data: unknown): unknown {
  try {
    return structuredClone(data);
  } catch {
    return data;
  }
}
