import { HttpService } from '@nestjs/axios';
import axios, {
  AxiosAdapter,
  AxiosError,
  AxiosInstance,
  AxiosRequestConfig,
  AxiosResponse,
  Cancel,
  isAxiosError,
} from 'axios';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import { Observable, Subscription } from 'rxjs';
import { ClientCertificate, httpsAgentFor, tlsOptions } from './client-certificate';
import { UndiciTransport } from './undici-adapter';

export const TRANSPORT_KINDS = ['axios', 'undici'] as const;

export type TransportKind = (typeof TRANSPORT_KINDS)[number];

/** Each client, token endpoint and step has its own axios: global interceptors see no secret. */
export function createHttpService(
  adapterFor?: (instance: AxiosInstance) => AxiosAdapter,
  httpsAgent?: HttpsAgent,
): HttpService {
  const instance = axios.create();
  // axios deep-merges its default headers into every request. Its eleven per-method records are
  // empty and cost about 8 µs a request, a fifth of its own pipeline; `common` (Accept) stays.
  instance.defaults.headers = {
    common: instance.defaults.headers.common,
  } as typeof instance.defaults.headers;
  if (adapterFor) instance.defaults.adapter = adapterFor(instance);
  if (httpsAgent) instance.defaults.httpsAgent = httpsAgent;
  return new HttpService(instance);
}

export interface ClientTransport {
  readonly http: HttpService;
  close(): Promise<void>;
}

/** The HttpService of one client; `'undici'` gives it an undici Agent of its own. */
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

/** HttpService's own `request`, as loaded: one replaced later (a spy on the prototype) is called. */
const STOCK_REQUEST = HttpService.prototype.request;

/**
 * One attempt, `timeoutMs` bounding it to the body's last byte (axios' own stops at the headers);
 * its failures go through `mapError` once. Cancelled only in flight: HttpService's unseen
 * `CanceledError` costs 1/4 of a small call's CPU.
 */
export function sendAttempt<T>(
  http: HttpService,
  config: AxiosRequestConfig,
  timeoutMs: number | undefined = config.timeout,
  mapError: (error: unknown) => unknown = (error) => error,
): Observable<AxiosResponse<T>> {
  return new Observable<AxiosResponse<T>>((subscriber) => {
    const source = axios.CancelToken.source();
    // A caller's own token cancels through ours, so the timer still bounds the attempt.
    const callerToken = config.cancelToken;
    const callerCancelled = (cancel: Cancel) => source.cancel(cancel.message);
    callerToken?.subscribe(callerCancelled);
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
      callerToken?.unsubscribe(callerCancelled);
    };
    // Not a spread: see RequestExecutor.build.
    const sent = Object.assign({}, config, { timeout: undefined, cancelToken: source.token });
    const answered = (response: AxiosResponse<T>) => {
      // A stream's body is read by the caller, after this; its time is the caller's to bound.
      settle();
      subscriber.next(response);
      subscriber.complete();
    };
    const failed = (error: unknown) => {
      settle();
      closeUnreadBody(error);
      if (subscriber.closed) return;
      subscriber.error(mapError(timedOut ? attemptTimedOut(sent, timeoutMs as number) : error));
    };
    let subscription: Subscription | undefined;
    if (http.request === STOCK_REQUEST) {
      // What HttpService.request would do, without its Observable around the promise.
      http.axiosRef.request<T>(sent).then(answered, failed);
    } else {
      // A subclass, a spy or a test double that replaces `request` is still the one called.
      subscription = http.request<T>(sent).subscribe({ next: answered, error: failed });
    }
    return () => {
      subscription?.unsubscribe();
      if (inFlight) {
        settle();
        source.cancel();
      }
    };
  });
}

/**
 * A refused answer to `responseType: 'stream'` carries its body unread: no caller will read it
 * (the typed error keeps a placeholder), and until it is closed it holds its socket.
 */
function closeUnreadBody(error: unknown): void {
  const data: unknown = isAxiosError(error) ? error.response?.data : undefined;
  if (!(data instanceof Readable) || data.readableEnded) return;
  // undici's body reports its own closing as an 'error' (RequestAbortedError); nobody listens.
  data.on('error', () => undefined);
  data.destroy();
}

function attemptTimedOut(config: AxiosRequestConfig, timeoutMs: number): AxiosError {
  const { cancelToken: _cancelToken, ...rest } = config;
  return new AxiosError(
    `timeout of ${timeoutMs}ms exceeded`,
    'ETIMEDOUT',
    rest as AxiosError['config'],
  );
}
