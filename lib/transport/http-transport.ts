import { HttpService } from '@nestjs/axios';
import axios, {
  AxiosAdapter,
  AxiosError,
  AxiosInstance,
  AxiosRequestConfig,
  AxiosResponse,
} from 'axios';
import { Agent as HttpsAgent } from 'node:https';
import { Observable } from 'rxjs';
import { ClientCertificate, httpsAgentFor, tlsOptions } from './client-certificate';
import { UndiciTransport } from './undici-adapter';

/** How a client's requests go out: axios' Node adapter, or our axios adapter on undici. */
export type TransportKind = 'axios' | 'undici';

export const TRANSPORT_KINDS: readonly TransportKind[] = ['axios', 'undici'];

/**
 * The one place an axios instance is made: every client, token endpoint and pipeline step sends
 * through an `HttpService` over an instance of its own, so interceptors an app adds to the global
 * axios never see a credential. `adapterFor` replaces axios' Node adapter on that instance only.
 */
export function createHttpService(
  adapterFor?: (instance: AxiosInstance) => AxiosAdapter,
  httpsAgent?: HttpsAgent,
): HttpService {
  const instance = axios.create();
  if (adapterFor) instance.defaults.adapter = adapterFor(instance);
  // A client certificate (mutual TLS) travels in the agent's TLS options.
  if (httpsAgent) instance.defaults.httpsAgent = httpsAgent;
  return new HttpService(instance);
}

/** A client's HttpService on its transport, and how to release the connections it holds. */
export interface ClientTransport {
  readonly http: HttpService;
  close(): Promise<void>;
}

/**
 * The HttpService of one client. `'undici'` gives it an undici Agent of its own (undici itself
 * is loaded on the first request), closed by `close()`. A client certificate is presented to
 * every https server that asks for one (mutual TLS).
 */
export function createClientTransport(
  kind: TransportKind = 'axios',
  clientCertificate?: ClientCertificate,
): ClientTransport {
  if (kind === 'axios') {
    if (!clientCertificate) return { http: createHttpService(), close: async () => undefined };
    const agent = httpsAgentFor(clientCertificate, true);
    return { http: createHttpService(undefined, agent), close: async () => agent.destroy() };
  }
  const undici = new UndiciTransport(clientCertificate && tlsOptions(clientCertificate));
  return {
    http: createHttpService((instance) => undici.adapterFor(instance)),
    close: () => undici.close(),
  };
}

/**
 * Sends one attempt through `http`. `timeoutMs` bounds the whole attempt, from sending until the
 * last byte of the body: axios' own `timeout` stops at the headers, so a server that trickles its
 * body would hold the call forever. When the time is up the request is aborted and the caller
 * gets an AxiosError with code `ETIMEDOUT`.
 *
 * Unsubscribing aborts the request only while it is in flight: `HttpService` cancels on every
 * teardown, also after the response came, and axios then builds a `CanceledError` (stack trace
 * included) nobody sees, a quarter of the client CPU of a small loopback request.
 */
export function sendAttempt<T>(
  http: HttpService,
  config: AxiosRequestConfig,
  timeoutMs: number | undefined = config.timeout,
): Observable<AxiosResponse<T>> {
  if (config.cancelToken) return http.request<T>(config);
  return new Observable<AxiosResponse<T>>((subscriber) => {
    const source = axios.CancelToken.source();
    let inFlight = true;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    if (timeoutMs !== undefined && timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        source.cancel();
      }, timeoutMs);
    }
    const settle = () => {
      inFlight = false;
      if (timer) clearTimeout(timer);
    };
    const sent: AxiosRequestConfig = { ...config, timeout: undefined, cancelToken: source.token };
    const subscription = http.request<T>(sent).subscribe({
      next: (response) => {
        // A stream's body is read by the caller, after this; its time is the caller's to bound.
        settle();
        subscriber.next(response);
      },
      error: (error: unknown) => {
        settle();
        subscriber.error(timedOut ? attemptTimedOut(sent, timeoutMs as number) : error);
      },
      complete: () => {
        settle();
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (inFlight) {
        settle();
        source.cancel();
      }
    };
  });
}

function attemptTimedOut(config: AxiosRequestConfig, timeoutMs: number): AxiosError {
  const { cancelToken: _cancelToken, ...rest } = config;
  return new AxiosError(
    `timeout of ${timeoutMs}ms exceeded`,
    'ETIMEDOUT',
    rest as AxiosError['config'],
  );
}
