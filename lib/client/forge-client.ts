import { HttpService } from '@nestjs/axios';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { catchError, from, map, mergeMap, Observable, of, throwError, toArray } from 'rxjs';
import { OptionChecker } from '../errors/option-checker';
import { registerCircuit } from '../observability/client-health';
import { createHttpService } from '../transport/http-transport';
import { AwaitableObservable } from './awaitable-observable';
import { toCurlCommand } from './curl-command';
import { HttpClientConfig } from './http-client-config';
import { RequestExecutor } from './request-executor';

/**
 * A named, pre-configured HTTP client. Same methods as Nest's `HttpService`, each returning a
 * cold Observable: every subscription is one fresh call, and unsubscribing aborts it.
 */
export class ForgeClient {
  private readonly executor: RequestExecutor;

  /**
   * @param config built by `HttpClientConfigBuilder`
   * @param http the HttpService to send through; without Nest, one with its own axios instance
   * @param name the client name used in errors and logs
   */
  constructor(
    readonly config: HttpClientConfig,
    http: HttpService = createHttpService(),
    readonly name?: string,
  ) {
    this.executor = new RequestExecutor(config, http, name);
    registerCircuit(this, () => this.executor.circuitState);
  }

  request<T = unknown>(config: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.executor.execute<T>(config);
  }

  get<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>({ ...config, url, method: 'GET' });
  }

  delete<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>({ ...config, url, method: 'DELETE' });
  }

  head<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>({ ...config, url, method: 'HEAD' });
  }

  options<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>> {
    return this.request<T>({ ...config, url, method: 'OPTIONS' });
  }

  post<T = unknown>(
    url: string,
    data?: unknown,
    config?: AxiosRequestConfig,
  ): Observable<AxiosResponse<T>> {
    return this.request<T>({ ...config, url, data, method: 'POST' });
  }

  put<T = unknown>(
    url: string,
    data?: unknown,
    config?: AxiosRequestConfig,
  ): Observable<AxiosResponse<T>> {
    return this.request<T>({ ...config, url, data, method: 'PUT' });
  }

  patch<T = unknown>(
    url: string,
    data?: unknown,
    config?: AxiosRequestConfig,
  ): Observable<AxiosResponse<T>> {
    return this.request<T>({ ...config, url, data, method: 'PATCH' });
  }

  /**
   * Sends `configs` with at most `concurrency` in flight. Results come in request order, each a
   * response or the error that request ended with. With `failFast`, the first failure errors the
   * observable: requests in flight are aborted and the rest are never sent. The result is cold
   * and can be subscribed to (`lastValueFrom`) or awaited directly.
   */
  requestMany<T = unknown>(
    configs: readonly AxiosRequestConfig[],
    options: RequestManyOptions = {},
  ): AwaitableObservable<Array<AxiosResponse<T> | Error>> {
    const concurrency = new OptionChecker('requestMany').count(
      'concurrency',
      options.concurrency ?? 5,
      1,
    );
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
    return AwaitableObservable.from(batch);
  }

  /** A curl command for `config` as this client would send it; secrets shown as `***`. */
  toCurl(config: AxiosRequestConfig): string {
    const { url, headers } = this.executor.describe(config);
    return toCurlCommand(
      config.method ?? 'GET',
      url,
      headers,
      config.data,
      config.params,
      this.executor.redactor,
    );
  }
}

export interface RequestManyOptions {
  /** Requests in flight at once. Default 5. */
  concurrency?: number;
  /** Stop at the first failure, aborting what is in flight. Default false. */
  failFast?: boolean;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error('request failed');
}
