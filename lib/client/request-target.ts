import { normalizePath } from '../auth/path-exclusion';

/** Where one request goes, worked out once per call. */
export interface RequestTarget {
  /** Absolute URL sent to axios. */
  url: string;
  parsed: URL;
  /** Normalized path relative to the base URL's path (`/users`), or undefined when outside it. */
  relativePath?: string;
  /** Normalized absolute path (`/api/users`). */
  absolutePath: string;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `/users` and `users` both resolve to `<base>/users`; absolute URLs are kept as they are. */
export function resolveTarget(
  baseUrl: string,
  url: string | undefined,
  basePath = normalizePath(new URL(baseUrl).pathname),
): RequestTarget {
  const raw = url ?? '';
  const absolute = ABSOLUTE.test(raw) ? raw : joinUrl(baseUrl, raw);
  const parsed = new URL(absolute);
  const absolutePath = normalizePath(parsed.pathname);
  let relativePath: string | undefined;
  if (basePath === '/') relativePath = absolutePath;
  else if (absolutePath === basePath) relativePath = '/';
  else if (absolutePath.startsWith(`${basePath}/`))
    relativePath = absolutePath.slice(basePath.length);
  return { url: absolute, parsed, relativePath, absolutePath };
}

/** `path` under `baseUrl` (one slash between them); a query or fragment is appended as is. */
export function joinUrl(baseUrl: string, path: string): string {
  if (path === '') return baseUrl;
  if (path.startsWith('?') || path.startsWith('#')) return `${baseUrl}${path}`;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The URL with `params` appended, as it goes on the wire. */
export function withParams(url: string, params: unknown): string {
  if (!params || typeof params !== 'object') return url;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) v.forEach((item) => search.append(k, String(item)));
    else search.append(k, String(v));
  }
  const query = search.toString();
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
