import { parseWwwAuthenticate } from '../auth/www-authenticate';
import { AuthenticationException, Redactor } from '../errors';
import { readTransportFailure } from '../transport/transport-failure';
import { describeNonJsonBody, OAuthErrorBody, parseOAuthError } from './token-error.parser';

/**
 * One token request (a token endpoint grant or a pipeline step): who asked, the limits of the
 * attempt, and every secret the request carried, which its errors must never show.
 */
export interface TokenRequestContext {
  serviceName: string;
  /** The pipeline step, when the request was one. */
  step?: string;
  timeoutMs: number;
  maxResponseBytes: number;
  redact: Redactor;
}

/** A failed attempt, and whether another attempt may do better. */
export interface TokenRequestFailure {
  error: AuthenticationException;
  transient: boolean;
}

const MAX_DESCRIPTION = 200;

/**
 * The one mapper of token request failures: `<subject> failed: <why> (status N)`, with the RFC 6749
 * §5.2 `error` / `error_description` kept (redacted) when the server gave them.
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
  const error = said && redact.text(said.error);
  const description =
    said?.errorDescription !== undefined
      ? redact.text(said.errorDescription).slice(0, MAX_DESCRIPTION)
      : undefined;
  return new AuthenticationException(
    `${subject} failed: ${why}${status !== undefined ? ` (status ${status})` : ''}`,
    {
      serviceName,
      ...(step !== undefined ? { step } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(cause !== undefined ? { cause: scrubbedCause(cause, redact) } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(description !== undefined ? { errorDescription: description } : {}),
    },
  );
}

/** No usable answer: no whole answer in time, no connection, a body over the size limit. */
export function noUsableAnswer(context: TokenRequestContext, cause: unknown): TokenRequestFailure {
  const failure = readTransportFailure(cause);
  const fail = (why: string, transient: boolean) => ({
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
      return fail(`the request could not be sent (${errorName(cause)})`, false);
  }
}

/**
 * A non-2xx answer: RFC 6749 §5.2 in the body, or only a resource server's challenge (RFC 6750
 * §3, as a pipeline step may get). A redirect is refused: it would carry the credentials on.
 */
export function refusal(
  context: TokenRequestContext,
  response: { status: number; body: unknown; contentType?: string; wwwAuthenticate?: string },
): AuthenticationException {
  const { status, body } = response;
  const said = parseOAuthError(body) ?? challengeError(response.wwwAuthenticate) ?? undefined;
  const why =
    status >= 300 && status < 400
      ? 'it was redirected; token requests do not follow redirects'
      : said
        ? `${context.redact.text(said.error)}${said.errorDescription ? ` (${context.redact.text(said.errorDescription).slice(0, MAX_DESCRIPTION)})` : ''}`
        : `answered ${status} with ${describeBody(body, response.contentType)}`;
  return tokenRequestFailed(context, why, { status, ...(said ? { said } : {}) });
}

function challengeError(wwwAuthenticate: string | undefined): OAuthErrorBody | undefined {
  if (!wwwAuthenticate) return undefined;
  const { error, errorDescription } = parseWwwAuthenticate(wwwAuthenticate);
  if (error === undefined) return undefined;
  return { error, ...(errorDescription !== undefined ? { errorDescription } : {}) };
}

function describeBody(body: unknown, contentType: string | undefined): string {
  if (typeof body === 'string') return describeNonJsonBody(contentType, body);
  return 'no OAuth error code';
}

/** The cause kept on the exception: its name and code, its message with request values removed. */
function scrubbedCause(error: unknown, redact: Redactor): unknown {
  if (!(error instanceof Error)) return error;
  const safe = new Error(redact.text(error.message));
  safe.name = error.name;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? Object.assign(safe, { code }) : safe;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}
