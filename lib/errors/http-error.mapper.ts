import { AxiosError, isAxiosError } from 'axios';
import { HttpStatusException } from './http-status.exception';
import { isTimeoutCode, networkErrorCode } from './network-failure';
import { Redactor } from './redaction';
import { RequestForgeException } from './request-forge.exception';
import { ConnectionException, TimeoutException } from './simple.exceptions';

export interface ErrorMappingContext {
  clientName?: string;
  method: string;
  /** The absolute request URL (redacted here). */
  url: string;
  timeout?: number;
  redactor: Redactor;
}

/**
 * Turns what axios threw into a typed request-forge error. The AxiosError itself is never kept:
 * its `config` holds the request headers, credentials included.
 */
export function toForgeException(error: unknown, ctx: ErrorMappingContext): unknown {
  if (error instanceof RequestForgeException || !isAxiosError(error)) return error;
  const method = ctx.method.toUpperCase();
  const url = ctx.redactor.url(ctx.url);
  const where = `${method} ${url}`;
  const common = { clientName: ctx.clientName, method, url };
  const response = error.response;
  if (response) {
    return new HttpStatusException(`${where} failed with status ${response.status}`, {
      ...common,
      status: response.status,
      response: {
        headers: ctx.redactor.headers(plainHeaders(response.headers)),
        data: ctx.redactor.body(response.data),
      },
    });
  }
  if (isTimeout(error)) {
    const limit = ctx.timeout !== undefined ? ` after ${ctx.timeout} ms` : '';
    return new TimeoutException(`${where} timed out${limit}`, {
      ...common,
      timeout: ctx.timeout,
      cause: error,
    });
  }
  const code = networkErrorCode(error);
  return new ConnectionException(`${where} failed: ${code ?? 'connection error'}`, {
    ...common,
    code,
    cause: error,
  });
}

function isTimeout(error: AxiosError): boolean {
  return isTimeoutCode(error.code) || /timeout/i.test(error.message);
}

function plainHeaders(headers: unknown): Record<string, unknown> {
  if (!headers || typeof headers !== 'object') return {};
  const maybe = headers as { toJSON?: () => Record<string, unknown> };
  return typeof maybe.toJSON === 'function' ? maybe.toJSON() : { ...headers };
}
