import { headerText } from '../transport/header-values';
import { AxiosResponse } from 'axios';
import { AuthenticationException, Redactor } from '../errors';
import { DEFAULT_RETRYABLE_STATUS_CODES } from '../retry/retry-strategy';
import { readTransportFailure } from '../transport/transport-failure';
import { TokenData } from './token-data';
import {
  describeNonJsonBody,
  OAuthErrorBody,
  parseJson,
  parseOAuthError,
} from './token-error.parser';

/** What the reading of one attempt needs to know; `redact` knows the secrets the request sent. */
export interface AttemptContext {
  serviceName: string;
  timeoutMs: number;
  maxResponseBytes: number;
  defaultLifetimeMs?: number;
  redact: Redactor;
}

/**
 * What one attempt came to: a token, or a failure. A transient failure (no answer, a busy or
 * briefly failing server) is worth another attempt; a refusal (§5.2) or a bad response is not.
 */
export type AttemptOutcome =
  | { kind: 'token'; token: TokenData }
  | { kind: 'failure'; error: AuthenticationException; transient: boolean; retryAfter?: string };

/** Reads an answer of the token endpoint: a token (§5.1) or an error (§5.2). */
export function readTokenResponse(
  response: AxiosResponse<unknown>,
  context: AttemptContext,
): AttemptOutcome {
  const { status } = response;
  const text = typeof response.data === 'string' ? response.data : '';
  const contentType = headerText(response.headers['content-type']);
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) {
    if (!parsed.ok) {
      const what = describeNonJsonBody(contentType, text);
      return fail(context, `answered ${status} with ${what}`, { status });
    }
    try {
      const token = TokenData.fromTokenResponse(parsed.value, {
        serviceName: context.serviceName,
        defaultLifetimeMs: context.defaultLifetimeMs,
      });
      return { kind: 'token', token };
    } catch (invalid) {
      const error = invalid as AuthenticationException;
      return {
        kind: 'failure',
        transient: false,
        error: new AuthenticationException(error.message, {
          serviceName: context.serviceName,
          ...(error.error !== undefined ? { error: error.error } : {}),
          status,
        }),
      };
    }
  }
  const oauthError = parsed.ok ? parseOAuthError(parsed.value) : undefined;
  const why = oauthError
    ? describeOAuthError(oauthError, context.redact)
    : `answered ${status} with ${parsed.ok ? 'no OAuth error code' : describeNonJsonBody(contentType, text)}`;
  // RFC 9110 §15.5.9, §15.6: the server is busy or briefly down; anything else is its answer.
  const transient = DEFAULT_RETRYABLE_STATUS_CODES.includes(status);
  const retryAfter = transient ? headerText(response.headers['retry-after']) : undefined;
  return fail(context, why, { status, oauthError, transient, retryAfter });
}

/** An attempt that got no usable answer: no answer in time, no connection, a body too large. */
export function readFailedAttempt(cause: unknown, context: AttemptContext): AttemptOutcome {
  const failure = readTransportFailure(cause);
  switch (failure?.kind) {
    case 'timeout':
      return fail(context, `no answer within ${context.timeoutMs} ms`, { cause, transient: true });
    case 'network':
      return fail(
        context,
        `could not reach the token endpoint (${failure.code ?? 'network error'})`,
        { cause, transient: true },
      );
    case 'too-large': {
      // A token response is small: a larger one is refused as it is, never asked for again.
      const limit = failure.limit ?? context.maxResponseBytes;
      const why = `the response body is over ${limit} bytes (maxTokenResponseBytes); it was read no further`;
      return fail(context, why, { cause });
    }
    case 'status':
      return readTokenResponse(failure.response, context);
    default:
      return fail(context, 'the request could not be sent', { cause });
  }
}

interface FailureDetails {
  status?: number;
  cause?: unknown;
  oauthError?: OAuthErrorBody;
  transient?: boolean;
  retryAfter?: string;
}

function fail(context: AttemptContext, why: string, details: FailureDetails): AttemptOutcome {
  const { serviceName, redact } = context;
  const { status, cause, oauthError } = details;
  const suffix = status !== undefined ? ` (status ${status})` : '';
  const error = new AuthenticationException(
    `Token request for "${serviceName}" failed: ${why}${suffix}`,
    {
      serviceName,
      ...(status !== undefined ? { status } : {}),
      ...(cause !== undefined ? { cause } : {}),
      ...(oauthError ? { error: redact.text(oauthError.error) } : {}),
      ...(oauthError?.errorDescription !== undefined
        ? { errorDescription: redact.text(oauthError.errorDescription) }
        : {}),
    },
  );
  return {
    kind: 'failure',
    error,
    transient: details.transient ?? false,
    ...(details.retryAfter !== undefined ? { retryAfter: details.retryAfter } : {}),
  };
}

function describeOAuthError(error: OAuthErrorBody, redact: Redactor): string {
  const description = error.errorDescription ? ` (${redact.text(error.errorDescription)})` : '';
  return `${redact.text(error.error)}${description}`;
}
