import { isIP } from 'node:net';
import { OptionChecker } from '../errors/option-checker';

/**
 * Client credentials travel to the token endpoint, so it must be https (RFC 6749 §3.2 requires
 * TLS) unless it is on this machine or the user opted out with `allowInsecureRequests`.
 */
export function checkTokenUrl(
  value: unknown,
  check: OptionChecker,
  allowInsecureRequests = false,
  field = 'tokenUrl',
): URL {
  const url = check.httpUrl(field, value);
  if (url.username || url.password) check.fail(field, 'must not carry credentials in the URL');
  if (url.protocol === 'http:' && !allowInsecureRequests && !isLoopback(url.hostname)) {
    check.fail(
      field,
      'must use https (plain http is allowed only for loopback hosts or with allowInsecureRequests: true)',
    );
  }
  return url;
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
