import { AuthenticationException } from '../errors';
import { isTimeoutCode } from '../transport/transport-failure';

/**
 * Error codes of the token protocols (RFC 6749 §5.2 and §4.1.2.1, RFC 6750 §3.1, RFC 8628 §3.5,
 * RFC 8693 §2.2.2, RFC 9449 §12). Anything else a server says becomes `other`: an attribute must
 * neither carry what a server chose to write nor grow without bound.
 */
const PROTOCOL_CODES: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'invalid_token',
  'insufficient_scope',
  'authorization_pending',
  'slow_down',
  'expired_token',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
]);

/** The `error` attribute of a failed token request (`invalid_response`: a 2xx, no usable token). */
export function tokenFailureCode(error: unknown): string {
  if (!(error instanceof AuthenticationException)) return 'other';
  if (error.error !== undefined) return PROTOCOL_CODES.has(error.error) ? error.error : 'other';
  if (error.status !== undefined) {
    return error.status >= 300 ? `http_${error.status}` : 'invalid_response';
  }
  if (error.cause === undefined) return 'other';
  // The cause kept on our exceptions is a summary that still has the Node / axios code.
  return isTimeoutCode(error.cause.code) ? 'timeout' : 'network';
}
