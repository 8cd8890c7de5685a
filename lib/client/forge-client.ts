import { HttpService } from '@nestjs/axios';
import axios, { AxiosRequestConfig, AxiosResponse } from 'axios';
import { Observable } from 'rxjs';
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
    http: HttpService = new HttpService(axios.create()),
    readonly name?: string,
  ) {
    this.executor = new RequestExecutor(config, http, name);
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
}
