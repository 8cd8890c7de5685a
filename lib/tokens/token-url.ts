import { isIP } from 'node:net';
import { ConfigurationException } from '../errors';

export interface TokenUrlCheck {
  /** Who is being configured, e.g. `ClientCredentialsTokenProvider` or `Client "svc"`. */
  context: string;
  /** The field as the user spelled it, e.g. `tokenUrl` or `auth.tokenUrl`. */
  field: string;
  allowInsecureRequests?: boolean;
  clientName?: string;
}

/**
 * Client credentials travel to the token endpoint, so it must be https (RFC 6749 §3.2 requires
 * TLS) unless it is on this machine or the user opted out with `allowInsecureRequests`.
 */
export function checkTokenUrl(value: unknown, check: TokenUrlCheck): URL {
  const fail = (why: string) =>
    new ConfigurationException(`${check.context}: ${check.field} ${why}`, {
      field: check.field,
      ...(check.clientName ? { clientName: check.clientName } : {}),
    });
  if (typeof value !== 'string' || value.trim() === '') throw fail('is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw fail('must be an absolute http(s) URL');
  }
  if (url.username || url.password) throw fail('must not carry credentials in the URL');
  if (url.protocol === 'http:' && !check.allowInsecureRequests && !isLoopback(url.hostname)) {
    throw fail(
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
