import { IncomingHttpHeaders } from 'node:http';

/** How a client authenticated at the token endpoint (RFC 6749 §2.3.1; `none`: a public client). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export type ClientAuthentication =
  | { ok: true; method: ClientAuthMethod; clientId?: string; clientSecret?: string }
  | { ok: false; method: ClientAuthMethod; clientId?: string; reason: string };

/**
 * Reads the client's credentials from a token request: HTTP Basic with the id and secret each
 * form-encoded before base64 (RFC 6749 §2.3.1, so `:` and non-ASCII survive), or `client_id` and
 * `client_secret` in the body. Using both at once is refused (§2.3: one method per request).
 */
export function readClientAuthentication(
  headers: IncomingHttpHeaders,
  form: URLSearchParams,
): ClientAuthentication {
  const bodyId = form.get('client_id') ?? undefined;
  const bodySecret = form.get('client_secret') ?? undefined;
  if (headers.authorization === undefined) {
    if (bodySecret === undefined) return { ok: true, method: 'none', clientId: bodyId };
    return { ok: true, method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret };
  }
  const method = 'client_secret_basic';
  const match = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(headers.authorization);
  if (!match) return { ok: false, method, reason: 'Authorization is not HTTP Basic' };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = colon < 0 ? undefined : formDecode(decoded.slice(0, colon));
  const clientSecret = colon < 0 ? undefined : formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) {
    return { ok: false, method, reason: 'malformed Basic credentials' };
  }
  if (bodySecret !== undefined) {
    return { ok: false, method, clientId, reason: 'more than one client authentication method' };
  }
  if (bodyId !== undefined && bodyId !== clientId) {
    return { ok: false, method, clientId, reason: 'client_id mismatch' };
  }
  return { ok: true, method, clientId, clientSecret };
}

/** application/x-www-form-urlencoded decoding of one value; `undefined` when malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
