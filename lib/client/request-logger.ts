import { Logger } from '@nestjs/common';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { HttpStatusException, RequestForgeException } from '../errors';
import { Redactor } from '../errors/redaction';
import { withParams } from './request-target';
import { HookContext } from '../hooks/hook.types';

export interface LoggingOptions {
  /** Log request and response headers (redacted). Default false. */
  logHeaders?: boolean;
  /** Log request and response bodies (redacted). Default false. */
  logBody?: boolean;
  /** Extra names (case-insensitive) redacted in headers, query strings and bodies. */
  sensitiveKeys?: string[];
}

/** Logs each attempt through its redactor: the client's `sensitiveKeys` and the credential sent. */
export class RequestLogger {
  constructor(
    private readonly logger: Logger,
    private readonly options: LoggingOptions,
  ) {}

  responded(
    config: AxiosRequestConfig,
    response: AxiosResponse,
    startedAt: number,
    ctx: HookContext,
    redactor: Redactor,
  ): void {
    this.logger.log(this.line(redactor, config, `${response.status}`, startedAt, ctx, response));
  }

  failed(
    config: AxiosRequestConfig,
    error: unknown,
    startedAt: number,
    ctx: HookContext,
    redactor: Redactor,
  ): void {
    if (error instanceof HttpStatusException) {
      const line = this.line(redactor, config, `${error.status}`, startedAt, ctx, error.response);
      this.logger.warn(line);
      return;
    }
    const outcome = error instanceof RequestForgeException ? error.name : 'error';
    const line = this.line(redactor, config, outcome, startedAt, ctx);
    this.logger.warn(error instanceof Error ? `${line} - ${redactor.text(error.message)}` : line);
  }

  /** With `response`: its headers and body too, as the options ask. */
  private line(
    redactor: Redactor,
    config: AxiosRequestConfig,
    outcome: string,
    startedAt: number,
    ctx: HookContext,
    response?: { headers: unknown; data: unknown },
  ): string {
    const method = (config.method ?? 'GET').toUpperCase();
    const url = redactor.url(withParams(config.url ?? '', config.params));
    const auth = ctx.authAttempt > 0 ? `, auth retry ${ctx.authAttempt}` : '';
    const parts = [
      `${method} ${url} → ${outcome} in ${Date.now() - startedAt} ms (attempt ${ctx.attempt}${auth}, request ${ctx.requestId})`,
    ];
    if (response && this.options.logHeaders) {
      parts.push(`request headers ${JSON.stringify(redactor.headers(config.headers))}`);
      parts.push(`response headers ${JSON.stringify(redactor.headers(response.headers))}`);
    }
    if (response && this.options.logBody) {
      if (config.data !== undefined) parts.push(`request body ${show(redactor.body(config.data))}`);
      if (response.data !== undefined && response.data !== '') {
        parts.push(`response body ${show(redactor.body(response.data))}`);
      }
    }
    return parts.join(' ');
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
