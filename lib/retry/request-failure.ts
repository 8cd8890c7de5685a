import { AxiosError, AxiosHeaders, AxiosResponse, isAxiosError } from 'axios';
import { ConnectionException, HttpStatusException, TimeoutException } from '../errors';

/** What the request was, when the error itself does not say (the client's typed errors). */
export interface RequestDescription {
  method?: string;
  headers?: Record<string, unknown>;
}

/**
 * One failed attempt, the same whether it surfaced as an `AxiosError` (plain `HttpService`) or
 * as a request-forge exception (`ForgeClient`). Header names are lower-case.
 */
export interface RequestFailure {
  /** `status`: the server answered; `network`: no answer; `timeout`: no answer in time. */
  kind: 'status' | 'network' | 'timeout';
  status?: number;
  /** Response headers (empty without a response). */
  headers: Record<string, string>;
  data?: unknown;
  /** The response as axios would give it; rebuilt from the exception for the client's errors. */
  response?: AxiosResponse;
  /** Upper-case HTTP method, when known. */
  method?: string;
  requestHeaders: Record<string, string>;
  /** No answer at all: a network error or a timeout. */
  isNetwork: boolean;
}

const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const TIMEOUT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);

/**
 * Reads an error into a {@link RequestFailure}, or `undefined` when it is not a failed HTTP
 * exchange (a cancelled request, a hook that threw, a token that could not be fetched): the retry
 * operators and the circuit breaker leave those alone.
 */
export function classifyFailure(
  error: unknown,
  request: RequestDescription = {},
): RequestFailure | undefined {
  const requestHeaders = lowerCaseHeaders(request.headers);
  const method = request.method?.toUpperCase();
  if (isAxiosError(error)) return fromAxiosError(error, method, requestHeaders);
  if (error instanceof HttpStatusException) {
    const headers = lowerCaseHeaders(error.response.headers);
    return {
      kind: 'status',
      status: error.status,
      headers,
      data: error.response.data,
      response: syntheticResponse(error.status, headers, error.response.data),
      method: method ?? error.method?.toUpperCase(),
      requestHeaders,
      isNetwork: false,
    };
  }
  if (error instanceof ConnectionException || error instanceof TimeoutException) {
    const kind = error instanceof TimeoutException ? 'timeout' : 'network';
    return noAnswer(kind, method ?? error.method?.toUpperCase(), requestHeaders);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string') {
    if (TIMEOUT_ERROR_CODES.has(code)) return noAnswer('timeout', method, requestHeaders);
    if (NETWORK_ERROR_CODES.has(code)) return noAnswer('network', method, requestHeaders);
  }
  return undefined;
}

function fromAxiosError(
  error: AxiosError,
  method: string | undefined,
  requestHeaders: Record<string, string>,
): RequestFailure | undefined {
  const sentHeaders = {
    ...lowerCaseHeaders(toPlainHeaders(error.config?.headers)),
    ...requestHeaders,
  };
  const sentMethod = method ?? error.config?.method?.toUpperCase();
  if (error.response) {
    return {
      kind: 'status',
      status: error.response.status,
      headers: lowerCaseHeaders(toPlainHeaders(error.response.headers)),
      data: error.response.data,
      response: error.response,
      method: sentMethod,
      requestHeaders: sentHeaders,
      isNetwork: false,
    };
  }
  const code = error.code ?? '';
  if (TIMEOUT_ERROR_CODES.has(code)) return noAnswer('timeout', sentMethod, sentHeaders);
  if (NETWORK_ERROR_CODES.has(code)) return noAnswer('network', sentMethod, sentHeaders);
  return undefined;
}

function noAnswer(
  kind: 'network' | 'timeout',
  method: string | undefined,
  requestHeaders: Record<string, string>,
): RequestFailure {
  return { kind, headers: {}, method, requestHeaders, isNetwork: true };
}

function syntheticResponse(
  status: number,
  headers: Record<string, string>,
  data: unknown,
): AxiosResponse {
  return {
    status,
    statusText: '',
    headers: new AxiosHeaders(headers),
    data,
    config: { headers: new AxiosHeaders() },
  };
}

function toPlainHeaders(headers: unknown): Record<string, unknown> | undefined {
  if (headers instanceof AxiosHeaders) return headers.toJSON();
  if (headers && typeof headers === 'object') return headers as Record<string, unknown>;
  return undefined;
}

function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (Array.isArray(value)) out[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[name.toLowerCase()] = String(value);
    }
  }
  return out;
}
