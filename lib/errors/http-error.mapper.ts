import { CanceledError, isAxiosError } from 'axios';
import { readTransportFailure } from '../transport/transport-failure';
import {
  ConnectionException,
  HttpStatusException,
  RequestForgeException,
  TimeoutException,
} from './exceptions';
import { Redactor } from './redaction';

export interface ErrorMappingContext {
  clientName?: string;
  method: string;
  /** The absolute request URL (redacted here). */
  url: string;
  timeout?: number;
  redactor: Redactor;
}

/**
 * What one attempt threw as a typed error, never keeping the AxiosError (its `config` holds the
 * credentials). A body that broke off mid-way is a `ConnectionException`, whatever its status.
 */
export function toForgeException(error: unknown, ctx: ErrorMappingContext): unknown {
  if (error instanceof RequestForgeException) return error;
  const failure = readTransportFailure(error);
  // Node's http refuses an invalid header with a plain TypeError, which axios passes on as it is.
  if (!isAxiosError(error) && failure?.kind !== 'local') return error;
  // A cancelled call stays axios' CanceledError (`axios.isCancel`), without the config it held.
  if (!failure) return new CanceledError((error as Error).message);
  const method = ctx.method.toUpperCase();
  const url = ctx.redactor.url(ctx.url);
  const where = `${method} ${url}`;
  const common = { clientName: ctx.clientName, method, url };
  switch (failure.kind) {
    case 'status': {
      const { response } = failure;
      return new HttpStatusException(`${where} failed with status ${response.status}`, {
        ...common,
        status: response.status,
        response: {
          headers: ctx.redactor.headers(response.headers),
          data: ctx.redactor.body(response.data),
        },
      });
    }
    case 'timeout': {
      const limit = ctx.timeout !== undefined ? ` after ${ctx.timeout} ms` : '';
      return new TimeoutException(`${where} timed out${limit}`, {
        ...common,
        timeout: ctx.timeout,
        cause: error,
      });
    }
    case 'too-large':
      return new ConnectionException(
        `${where} failed: the response is larger than maxContentLength (${failure.limit} bytes)`,
        { ...common, code: 'ERR_RESPONSE_TOO_LARGE' },
      );
    case 'local':
    case 'network':
      return new ConnectionException(`${where} failed: ${failure.code ?? 'connection error'}`, {
        ...common,
        code: failure.code,
        cause: error,
      });
  }
}
