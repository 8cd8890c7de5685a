import { HttpService } from '@nestjs/axios';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { catchError, map, Observable, of } from 'rxjs';
import { parseWwwAuthenticate } from '../auth/www-authenticate';
import { AuthenticationException, Redactor } from '../errors';
import { isRecord } from '../errors/option-checker';
import { DEFAULT_RETRYABLE_STATUS_CODES } from '../retry/retry-strategy';
import { lowerCaseHeaders } from '../transport/header-values';
import { sendAttempt } from '../transport/http-transport';
import { readTransportFailure } from '../transport/transport-failure';
import { TokenData } from './token-data';

/** Token responses are small: a larger one is refused unread, so none makes us buffer megabytes. */
export const DEFAULT_MAX_TOKEN_RESPONSE_BYTES = 65_536;

interface OAuthErrorBody {
  error: string;
  errorDescription?: string;
}

/** §5.2 `{ error, error_description }` from a body, else from a challenge (RFC 6750 §3). */
function serverError(body: unknown, wwwAuthenticate?: string): OAuthErrorBody | undefined {
  const { error, error_description: description } = isRecord(body) ? body : {};
  // §5.2: `error` is a single ASCII code such as invalid_client.
  if (typeof error === 'string' && /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/.test(error)) {
    return { error, ...(typeof description === 'string' ? { errorDescription: description } : {}) };
  }
  const challenge = parseWwwAuthenticate(wwwAuthenticate);
  return challenge.error === undefined ? undefined : (challenge as OAuthErrorBody);
}

/**
 * Sends one token request (a grant or a pipeline step): a redirect is not followed (it would carry
 * the credentials on), the body is read no further than `maxResponseBytes`, the attempt bounded by
 * `timeoutMs`. Emits the answer, whatever its status, or the failure of an attempt that got none.
 */
export function sendTokenRequest(
  http: HttpService,
  request: AxiosRequestConfig,
  context: TokenRequestContext,
): Observable<TokenAnswer | AttemptFailure> {
  const config: AxiosRequestConfig = {
    ...request,
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxContentLength: context.maxResponseBytes,
  };
  return sendAttempt<string>(http, config, context.timeoutMs).pipe(
    map(tokenAnswer),
    catchError((cause: unknown) => of(noUsableAnswer(context, cause))),
  );
}

/** An answer as its readers see it: lower-case header names; the body as JSON, else as text. */
export interface TokenAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  data: unknown;
  json: boolean;
}

function tokenAnswer(response: AxiosResponse<unknown>): TokenAnswer {
  const text = typeof response.data === 'string' ? response.data : '';
  const answer = { status: response.status, headers: lowerCaseHeaders(response.headers) };
  try {
    return { ...answer, data: JSON.parse(text), json: true };
  } catch {
    return { ...answer, data: text, json: false };
  }
}

/** A few words about a body that is not the JSON we expected, never its content. */
function describeNonJsonBody(contentType: string | undefined, text: string): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('html') || /^\s*<(!doctype|html)/i.test(text)) return 'an HTML page';
  if (text.trim() === '') return 'an empty body';
  return `a body that is not valid JSON${type ? ` (${type.split(';')[0]})` : ''}`;
}

/** One token request: who asked, the attempt's limits, and the secrets its errors must not show. */
export interface TokenRequestContext {
  serviceName: string;
  step?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  redact: Redactor;
  /** Token endpoints only. */
  defaultLifetimeMs?: number;
}

const MAX_DESCRIPTION = 200;
/** §5.2 codes are a word or two; a longer one is the server's text, bounded like a description. */
const MAX_ERROR_CODE = 64;

/**
 * Text the server chose, as messages and log lines show it: redacted, on one line (a line break
 * could forge a log line), bounded.
 */
function serverText(redact: Redactor, text: string, maxLength: number): string {
  // Control characters, line and paragraph separators (U+2028/9) and bidi controls (which can
  // make a log line read backwards): each run becomes one space.
  return redact
    .text(text)
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]+/gu, ' ')
    .slice(0, maxLength);
}

/**
 * The one mapper of token request failures: `<subject> failed: <why> (status N)`, with the RFC 6749
 * §5.2 `error` / `error_description` (already redacted) kept when the server gave them.
 */
export function tokenRequestFailed(
  context: TokenRequestContext,
  why: string,
  details: { status?: number; cause?: unknown; said?: OAuthErrorBody } = {},
): AuthenticationException {
  const { serviceName, step, redact } = context;
  const { status, cause, said } = details;
  const subject = step
    ? `Pipeline step '${step}' of service '${serviceName}'`
    : `Token request for "${serviceName}"`;
  return new AuthenticationException(
    `${subject} failed: ${why}${status !== undefined ? ` (status ${status})` : ''}`,
    { serviceName, step, status, cause: scrubbedCause(cause, redact), ...said },
  );
}

/** No usable answer: none in time, no connection, a body over the size limit. */
function noUsableAnswer(context: TokenRequestContext, cause: unknown): AttemptFailure {
  const failure = readTransportFailure(cause);
  const fail = (why: string, transient: boolean): AttemptFailure => ({
    kind: 'failure',
    error: tokenRequestFailed(context, why, { cause }),
    transient,
  });
  switch (failure?.kind) {
    case 'timeout':
      return fail(`no answer within ${context.timeoutMs} ms`, true);
    case 'network':
      return fail(`could not reach the token endpoint (${failure.code ?? 'network error'})`, true);
    case 'too-large':
      // A token response is small: a larger one is refused as it is, never asked for again.
      return fail(
        `the response body is over ${failure.limit ?? context.maxResponseBytes} bytes ` +
          '(maxTokenResponseBytes); it was read no further',
        false,
      );
    default:
      return fail(
        `the request could not be sent (${cause instanceof Error ? cause.name : 'error'})`,
        false,
      );
  }
}

/**
 * A non-2xx answer: RFC 6749 §5.2 in the body, or for a pipeline step maybe only a resource
 * server's challenge (RFC 6750 §3). A redirect is refused: it would carry the credentials on.
 */
export function refusal(
  context: TokenRequestContext,
  answer: TokenAnswer,
): AuthenticationException {
  const { status, data: body, headers } = answer;
  const { redact, step } = context;
  const found = serverError(body, step ? headers['www-authenticate'] : undefined);
  const said = found && {
    error: serverText(redact, found.error, MAX_ERROR_CODE),
    ...(found.errorDescription !== undefined
      ? { errorDescription: serverText(redact, found.errorDescription, MAX_DESCRIPTION) }
      : {}),
  };
  const why =
    status >= 300 && status < 400
      ? 'it was redirected; token requests do not follow redirects'
      : said
        ? `${said.error}${said.errorDescription ? ` (${said.errorDescription})` : ''}`
        : `answered ${status} with ${
            typeof body === 'string'
              ? describeNonJsonBody(step ? undefined : headers['content-type'], body)
              : 'no OAuth error code'
          }`;
  return tokenRequestFailed(context, why, { status, said });
}

/** The cause kept on the exception: its name and code, its message with request values removed. */
function scrubbedCause(error: unknown, redact: Redactor): unknown {
  if (!(error instanceof Error)) return error;
  const safe = new Error(redact.text(error.message));
  safe.name = error.name;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? Object.assign(safe, { code }) : safe;
}

/** A token, or a failure: a transient one (no answer, a busy server) is worth another attempt. */
export type AttemptOutcome = { kind: 'token'; token: TokenData } | AttemptFailure;

export type AttemptFailure = {
  kind: 'failure';
  error: AuthenticationException;
  transient: boolean;
  retryAfter?: string;
  /** RFC 9449 §8: a `use_dpop_nonce` refusal that gave a nonce, answered once, at once. */
  nonceChallenge?: boolean;
};

/** Reads an answer of the token endpoint: a token (§5.1) or an error (§5.2). */
export function readTokenResponse(
  answer: TokenAnswer,
  context: TokenRequestContext,
): AttemptOutcome {
  const { status, headers, data, json } = answer;
  if (status >= 200 && status < 300) {
    if (!json) {
      const body = describeNonJsonBody(headers['content-type'], data as string);
      const why = `answered ${status} with ${body}`;
      return failure(tokenRequestFailed(context, why, { status }));
    }
    try {
      const token = TokenData.fromTokenResponse(data, {
        serviceName: context.serviceName,
        defaultLifetimeMs: context.defaultLifetimeMs,
      });
      return { kind: 'token', token };
    } catch (invalid) {
      const { message, serviceName, error } = invalid as AuthenticationException;
      return failure(new AuthenticationException(message, { serviceName, error, status }));
    }
  }
  return {
    kind: 'failure',
    error: refusal(context, answer),
    // RFC 9110 §15.5.9, §15.6: the server is busy or briefly down; anything else is its answer.
    transient: DEFAULT_RETRYABLE_STATUS_CODES.includes(status),
    retryAfter: headers['retry-after'],
  };
}

function failure(error: AuthenticationException): AttemptOutcome {
  return { kind: 'failure', error, transient: false };
}
