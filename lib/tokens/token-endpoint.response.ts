import { headerText } from '../transport/header-values';
import { AxiosResponse } from 'axios';
import { AuthenticationException } from '../errors';
import { DEFAULT_RETRYABLE_STATUS_CODES } from '../retry/retry-strategy';
import { readTransportFailure } from '../transport/transport-failure';
import { TokenData } from './token-data';
import { describeNonJsonBody, parseJson } from './token-error.parser';
import {
  noUsableAnswer,
  refusal,
  TokenRequestContext,
  tokenRequestFailed,
} from './token-request-failure';

/**
 * What one attempt came to: a token, or a failure. A transient failure (no answer, a busy or
 * briefly failing server) is worth another attempt; a refusal (§5.2) or a bad response is not.
 */
export type AttemptOutcome =
  | { kind: 'token'; token: TokenData }
  | { kind: 'failure'; error: AuthenticationException; transient: boolean; retryAfter?: string };

/** What reading an attempt needs besides the request: the default lifetime of tokens. */
export interface AttemptContext extends TokenRequestContext {
  defaultLifetimeMs?: number;
}

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
      const why = `answered ${status} with ${describeNonJsonBody(contentType, text)}`;
      return failure(tokenRequestFailed(context, why, { status }));
    }
    try {
      const token = TokenData.fromTokenResponse(parsed.value, {
        serviceName: context.serviceName,
        defaultLifetimeMs: context.defaultLifetimeMs,
      });
      return { kind: 'token', token };
    } catch (invalid) {
      const error = invalid as AuthenticationException;
      return failure(
        new AuthenticationException(error.message, {
          serviceName: context.serviceName,
          ...(error.error !== undefined ? { error: error.error } : {}),
          status,
        }),
      );
    }
  }
  const error = refusal(context, {
    status,
    body: parsed.ok ? parsed.value : text,
    ...(contentType !== undefined ? { contentType } : {}),
  });
  // RFC 9110 §15.5.9, §15.6: the server is busy or briefly down; anything else is its answer.
  if (!DEFAULT_RETRYABLE_STATUS_CODES.includes(status)) return failure(error);
  const retryAfter = headerText(response.headers['retry-after']);
  return { ...failure(error, true), ...(retryAfter !== undefined ? { retryAfter } : {}) };
}

/** An attempt that got no usable answer, or a status failure axios raised. */
export function readFailedAttempt(cause: unknown, context: AttemptContext): AttemptOutcome {
  const transport = readTransportFailure(cause);
  if (transport?.kind === 'status') return readTokenResponse(transport.response, context);
  const { error, transient } = noUsableAnswer(context, cause);
  return failure(error, transient);
}

function failure(error: AuthenticationException, transient = false): AttemptOutcome {
  return { kind: 'failure', error, transient };
}
