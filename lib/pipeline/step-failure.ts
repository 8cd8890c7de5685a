import { parseWwwAuthenticate } from '../auth/www-authenticate';
import { AuthenticationException, Redactor } from '../errors';
import { parseOAuthError } from '../tokens/token-error.parser';
import { readTransportFailure } from '../transport/transport-failure';

/** The step and service a failure is about, and the values it must never show. */
export interface StepFailureContext {
  step: string;
  serviceName: string;
  /** Knows every value the request carried (passwords, upstream tokens) and scrubs them. */
  scrub: Redactor;
}

const MAX_DESCRIPTION = 200;

function prefix({ step, serviceName }: StepFailureContext): string {
  return `Pipeline step '${step}' of service '${serviceName}'`;
}

/** The limits of one step's attempt, named in its failures. */
export interface StepLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * No usable answer: refused connection, reset socket, no whole answer within the timeout, or a
 * body over the size limit (read no further).
 */
export function stepRequestFailed(
  failure: StepFailureContext,
  error: unknown,
  limits: StepLimits,
): AuthenticationException {
  const transport = readTransportFailure(error);
  let reason: string;
  if (transport?.kind === 'timeout') {
    reason = `got no answer within ${limits.timeoutMs} ms`;
  } else if (transport?.kind === 'too-large') {
    reason = `answered with a body over ${transport.limit ?? limits.maxResponseBytes} bytes (maxTokenResponseBytes); it was read no further`;
  } else if (transport?.kind === 'network') {
    reason = `could not reach its endpoint (${transport.code ?? 'network error'})`;
  } else {
    reason = `could not send its request (${error instanceof Error ? error.name : 'error'})`;
  }
  return new AuthenticationException(`${prefix(failure)} ${reason}`, {
    serviceName: failure.serviceName,
    step: failure.step,
    cause: scrubbedCause(error, failure.scrub),
  });
}

/** A non-2xx answer; RFC 6749 §5.2 `error` / `error_description` are kept when present. */
export function stepRefused(
  failure: StepFailureContext,
  status: number,
  body: unknown,
  wwwAuthenticate?: string,
): AuthenticationException {
  // RFC 6749 §5.2 in the body; a resource server may only say why in its challenge (RFC 6750 §3).
  const said = parseOAuthError(body) ?? parseWwwAuthenticate(wwwAuthenticate);
  const error = said.error !== undefined ? failure.scrub.text(said.error) : undefined;
  const description =
    said.errorDescription !== undefined
      ? failure.scrub.text(said.errorDescription).slice(0, MAX_DESCRIPTION)
      : undefined;
  const reason =
    status >= 300 && status < 400
      ? `was redirected (HTTP ${status}); token requests do not follow redirects`
      : `was refused with HTTP ${status}`;
  const detail = [error, description].filter(Boolean).join(': ');
  return new AuthenticationException(
    `${prefix(failure)} ${reason}${detail ? ` (${detail})` : ''}`,
    {
      serviceName: failure.serviceName,
      step: failure.step,
      status,
      ...(error !== undefined ? { error } : {}),
      ...(description !== undefined ? { errorDescription: description } : {}),
    },
  );
}

/** A 2xx answer without a usable token. */
export function stepResponseInvalid(
  failure: StepFailureContext,
  problem: string,
  status: number,
): AuthenticationException {
  return new AuthenticationException(`${prefix(failure)}: the response ${problem}`, {
    serviceName: failure.serviceName,
    step: failure.step,
    status,
  });
}

/** The cause kept on the exception: its name and code, its message with request values removed. */
function scrubbedCause(error: unknown, scrub: Redactor): unknown {
  if (!(error instanceof Error)) return error;
  const safe = new Error(scrub.text(error.message));
  safe.name = error.name;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? Object.assign(safe, { code }) : safe;
}
