import { AxiosRequestConfig, AxiosResponse, isAxiosError } from 'axios';
import { ConnectionException, HttpStatusException, TimeoutException } from '../errors';
import { lowerCaseHeaders } from '../transport/header-values';
import { readTransportFailure, TransportFailure } from '../transport/transport-failure';

/**
 * One failed attempt, read once from the request as it was sent (after hooks, with the
 * credential actually sent) and what came back. Every retry decision, the circuit breaker and
 * the final error read this same object. Header names are lower-case.
 */
export interface RequestFailure {
  /**
   * `status`: the server answered; `network`: no complete answer; `timeout`: no complete answer
   * in time; `too-large`: the body passed `maxContentLength` and was read no further; `local`:
   * stopped on this side (a redirect loop, an invalid header), the same again would stop alike.
   */
  kind: 'status' | 'network' | 'timeout' | 'too-large' | 'local';
  status?: number;
  /** Response headers (empty without a response). */
  headers: Record<string, string>;
  data?: unknown;
  /** The response as axios gave it (status failures only). */
  response?: AxiosResponse;
  /** Upper-case HTTP method as sent, when known. */
  method?: string;
  /** Request headers as sent. */
  requestHeaders: Record<string, string>;
  /** No complete answer: a network error or a timeout. */
  isNetwork: boolean;
  /**
   * Whether the server that answered received the client's credential. `false` for an excluded
   * path, another origin or a redirect away from the base origin: a 401 there refused no token.
   * Unknown (`undefined`) for a plain `HttpService` call.
   */
  credentialSent?: boolean;
}

/** Failures built by a ForgeClient attempt, by the error they travel on. */
const attached = new WeakMap<object, RequestFailure>();

/** The failure of one attempt, or `undefined` when nothing was exchanged (cancelled). */
export function failureOf(
  error: unknown,
  sent: AxiosRequestConfig,
  credentialSent?: boolean,
): RequestFailure | undefined {
  const transport = readTransportFailure(error);
  return transport && build(transport, sent, credentialSent);
}

/** Puts `failure` on the typed error it became, for the retry operators and the breaker. */
export function attachFailure<E>(error: E, failure: RequestFailure): E {
  if (typeof error === 'object' && error !== null) attached.set(error, failure);
  return error;
}

/**
 * The failure a ForgeClient attempt attached, or one read from an `AxiosError` (a plain
 * `HttpService` call: its config is the request as sent). `undefined` when the error is no failed
 * HTTP exchange (cancelled, a hook that threw, no token): retries and the breaker leave it alone.
 */
export function classifyFailure(error: unknown): RequestFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const known = attached.get(error);
  if (known) return known;
  if (isAxiosError(error)) return failureOf(error, error.config ?? {});
  // Our typed errors made by hand (tests, user code) still say what kind of failure they are.
  if (error instanceof HttpStatusException) {
    return {
      kind: 'status',
      status: error.status,
      headers: lowerCaseHeaders(error.response.headers),
      data: error.response.data,
      method: error.method?.toUpperCase(),
      requestHeaders: {},
      isNetwork: false,
    };
  }
  if (error instanceof TimeoutException || error instanceof ConnectionException) {
    const kind = error instanceof TimeoutException ? 'timeout' : 'network';
    return build({ kind }, { method: error.method });
  }
  return failureOf(error, {});
}

function build(
  transport: TransportFailure,
  sent: AxiosRequestConfig,
  credentialSent?: boolean,
): RequestFailure {
  const failure: RequestFailure = {
    kind: transport.kind,
    headers: {},
    method: sent.method?.toUpperCase(),
    requestHeaders: lowerCaseHeaders(sent.headers),
    isNetwork: transport.kind === 'network' || transport.kind === 'timeout',
    ...(credentialSent === undefined ? {} : { credentialSent }),
  };
  if (transport.kind !== 'status') return failure;
  const { response } = transport;
  const headers = lowerCaseHeaders(response.headers);
  return { ...failure, status: response.status, headers, data: response.data, response };
}
