import { HttpService } from '@nestjs/axios';
import { OnModuleDestroy } from '@nestjs/common';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { catchError, from, map, mergeMap, Observable, of, throwError, toArray } from 'rxjs';
import { OptionChecker } from '../errors/option-checker';
import { registerCircuit } from '../observability/client-health';
import { ClientTransport, createClientTransport } from '../transport/http-transport';
import { AwaitableObservable } from './awaitable-observable';
import { toCurlCommand } from './curl-command';
import { HttpClientConfig } from './http-client-config';
import { RequestExecutor } from './request-executor';

/**
 * A named, pre-configured HTTP client. Same methods as Nest's `HttpService`, each returning a
 * cold Observable: every subscription is one fresh call, and unsubscribing aborts it.
 */
export class ForgeClient implements OnModuleDestroy {
  private readonly executor: RequestExecutor;
  /** The transport this client made for itself (none when given an HttpService). */
  private readonly transport?: ClientTransport;

  /** The client name used in errors, logs, hooks and metrics. */
  readonly name?: string;

  /**
   * @param http sent through as it is (`config.transport` then does not apply)
   * @param name the client name; default the builder's (`new HttpClientConfigBuilder('orders')`)
   */
  constructor(
    readonly config: HttpClientConfig,
    http?: HttpService,
    name?: string,
  ) {
    this.name = name ?? config.clientName;
    if (!http) this.transport = createClientTransport(config.transport, config.clientCertificate);
    const send = http ?? (this.transport as ClientTransport).http;
    this.executor = new RequestExecutor(config, send, this.name);
    registerCircuit(this, () => this.executor.resilience.circuitState);
  }

  /** Closes the client's own transport (a module closes its clients; close those you `new`). */
  async close(): Promise<void> {
    await this.transport?.close();
  }

  /** @internal Nest closes a module's clients with the module. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  request<T = unknown>(config: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.executor.execute<T>(config);
  }

  // The verbs copy with Object.assign, not a spread: see RequestExecutor.build.
  get<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>(Object.assign({}, config, { url, method: 'GET' }));
  }

  delete<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>(Object.assign({}, config, { url, method: 'DELETE' }));
  }

  head<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>(Object.assign({}, config, { url, method: 'HEAD' }));
  }

  options<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>(Object.assign({}, config, { url, method: 'OPTIONS' }));
  }

  post<T = unknown>(
    url: string,
    data?: unknown,
    config?: AxiosRequestConfig,
  ): Observable<AxiosResponse<T>> {
    return this.request<T>(Object.assign({}, config, { url, data, method: 'POST' }));
  }

  put<T = unknown>(
    url: string,
    data?: unknown,
    config?: AxiosRequestConfig,
  ): Observable<AxiosResponse<T>> {
    return this.request<T>(Object.assign({}, config, { url, data, method: 'PUT' }));
  }

  patch<T = unknown>(
    url: string,
    data?: unknown,
    config?: AxiosRequestConfig,
  ): Observable<AxiosResponse<T>> {
    return this.request<T>(Object.assign({}, config, { url, data, method: 'PATCH' }));
  }

  /**
   * Sends `configs`, at most `concurrency` at once; results in request order, each a response or
   * an error. With `failFast` the first failure errors it, aborting what is in flight. Awaitable.
   */
  requestMany<T = unknown>(
    configs: readonly AxiosRequestConfig[],
    options: RequestManyOptions = {},
  ): AwaitableObservable<Array<AxiosResponse<T> | Error>> {
    const check = new OptionChecker('requestMany');
    const concurrency = check.count('concurrency', options.concurrency ?? 5, 1);
    const batch = from(configs.map((config, index) => ({ config, index }))).pipe(
      mergeMap(
        ({ config, index }) =>
          this.request<T>(config).pipe(
            map((response): [number, AxiosResponse<T> | Error] => [index, response]),
            catchError((error: unknown) =>
              options.failFast
                ? throwError(() => error)
                : of<[number, AxiosResponse<T> | Error]>([index, asError(error)]),
            ),
          ),
        concurrency,
      ),
      toArray(),
      map((results) => results.sort((a, b) => a[0] - b[0]).map(([, result]) => result)),
    );
    return new AwaitableObservable((subscriber) => batch.subscribe(subscriber));
  }

  /** A curl command for `config` as this client would send it; secrets shown as `***`. */
  toCurl(config: AxiosRequestConfig): string {
    const { url, headers } = this.executor.describe(config);
    return toCurlCommand(config, url, headers, this.executor.redactor);
  }
}

export interface RequestManyOptions {
  /** Requests in flight at once. Default 5. */
  concurrency?: number;
  /** Stop at the first failure, aborting what is in flight. Default false. */
  failFast?: boolean;
}

/** A slot holds an Error; a thrown non-Error (a hook's) is kept as its `cause`, not lost. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error('request failed', { cause: error });
}
