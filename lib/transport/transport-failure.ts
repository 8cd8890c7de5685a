import { AxiosError, AxiosResponse, isAxiosError } from 'axios';
import { types } from 'node:util';

/**
 * One attempt's transport failure, read once from what axios threw. `status`: a whole answer with
 * a refused status; `network`: no complete answer (refused, reset, DNS, a body cut off mid-way);
 * `local`: stopped on this side, and another attempt would stop the same way.
 */
export type TransportFailure =
  | { kind: 'status'; response: AxiosResponse }
  | { kind: 'timeout' }
  | { kind: 'network'; code?: string }
  | { kind: 'local'; code: string }
  | { kind: 'too-large'; limit?: number };

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Whether a Node or axios error code says no answer came in time. */
export function isTimeoutCode(code: string | undefined): boolean {
  return code !== undefined && TIMEOUT_CODES.has(code);
}

/** Socket-level codes of an exchange that got no answer, thrown outside axios. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** A request this side will not complete as configured: a redirect loop, an invalid header. */
const LOCAL_CODES = new Set<string>([
  AxiosError.ERR_FR_TOO_MANY_REDIRECTS,
  'ERR_FR_REDIRECTION_FAILURE',
  'ERR_FR_MAX_BODY_LENGTH_EXCEEDED',
  AxiosError.ERR_BAD_OPTION,
  AxiosError.ERR_BAD_OPTION_VALUE,
  AxiosError.ERR_NOT_SUPPORT,
  AxiosError.ERR_INVALID_URL,
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_CHAR',
  'UND_ERR_INVALID_ARG',
]);

/** axios' codes for an answer it rejected by status (`settle`), as opposed to a broken body. */
const STATUS_CODES = new Set<string>([AxiosError.ERR_BAD_REQUEST, AxiosError.ERR_BAD_RESPONSE]);

const TOO_LARGE = /^maxContentLength size of (\d+) exceeded/;

/** Reads an error into a {@link TransportFailure}; `undefined` when it is not a failed exchange. */
export function readTransportFailure(error: unknown): TransportFailure | undefined {
  if (!isAxiosError(error)) return fromNodeError(error);
  if (error.code === AxiosError.ERR_CANCELED) return undefined;
  const tooLarge = TOO_LARGE.exec(error.message);
  if (tooLarge) return { kind: 'too-large', limit: Number(tooLarge[1]) };
  const code = codeOf(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return { kind: 'timeout' };
  if (code !== undefined && LOCAL_CODES.has(code)) return { kind: 'local', code };
  if (error.response && isStatusRejection(error, error.response)) {
    return { kind: 'status', response: error.response };
  }
  // An answer whose body broke off (reset, aborted) is no answer: axios still attaches the
  // response head, with a status that may well be 200.
  return { kind: 'network', ...(code !== undefined ? { code } : {}) };
}

function isStatusRejection(error: AxiosError, response: AxiosResponse): boolean {
  if (!error.code || !STATUS_CODES.has(error.code)) return false;
  if (error.message === 'stream has been aborted') return false;
  const validate = error.config?.validateStatus;
  if (validate === null) return false;
  const accepts = validate ?? ((status: number) => status >= 200 && status < 300);
  return !accepts(response.status);
}

/** The Node error code, from the error or its cause (axios sometimes leaves its own empty). */
function codeOf(error: AxiosError): string | undefined {
  const cause = (error.cause as { code?: unknown } | undefined)?.code;
  if (error.code && !STATUS_CODES.has(error.code) && error.code !== AxiosError.ERR_NETWORK) {
    return error.code;
  }
  if (typeof cause === 'string') return cause;
  return error.code ?? undefined;
}

/**
 * A bare Node error with a known code: a socket error outside axios, or Node's http refusing a
 * header before anything is sent (axios passes that TypeError on as it is).
 */
function fromNodeError(error: unknown): TransportFailure | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  // isNativeError: Node's own errors come from another realm under test runners' vm contexts.
  if (!(error instanceof Error || types.isNativeError(error)) || typeof code !== 'string') {
    return undefined;
  }
  if (TIMEOUT_CODES.has(code)) return { kind: 'timeout' };
  if (LOCAL_CODES.has(code)) return { kind: 'local', code };
  return NETWORK_CODES.has(code) ? { kind: 'network', code } : undefined;
}
