import { AuthenticationException, HttpStatusException } from '../errors';
import { parseWwwAuthenticate } from '../auth/www-authenticate';

/**
 * With token auth, a 401 still there after the auth retries means the API keeps refusing our
 * tokens: that is an `AuthenticationException` (RFC 6750 §3 error from `WWW-Authenticate`).
 */
export function toFinalAuthError(error: unknown, clientName: string): unknown {
  if (!(error instanceof HttpStatusException) || error.status !== 401) return error;
  const challenge = parseWwwAuthenticate(error.response.headers['www-authenticate']);
  const attempts = error.attempts;
  const detail = challenge.error ? ` (${challenge.error})` : '';
  return new AuthenticationException(
    `${error.method ?? 'GET'} ${error.url ?? ''} was refused with 401${detail} after ` +
      `${attempts ?? 1} attempt(s) with fresh tokens`,
    {
      serviceName: clientName,
      clientName,
      status: 401,
      ...(attempts !== undefined ? { attempts } : {}),
      ...(challenge.error ? { error: challenge.error } : {}),
      ...(challenge.errorDescription ? { errorDescription: challenge.errorDescription } : {}),
      cause: error,
    },
  );
}
