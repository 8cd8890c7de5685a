import { RequestAuth } from './request-auth.interface';

/** A fixed credential (bearer token, API key, basic): the same headers on every request. */
export function staticAuth(
  kind: 'bearer' | 'api-key' | 'basic',
  headers: Record<string, string>,
  secrets: readonly string[],
): RequestAuth {
  const applied = { headers };
  return { kind, headerNames: Object.keys(headers), secrets, apply: () => applied };
}
