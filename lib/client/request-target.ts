import { normalizePath } from '../auth/path-exclusion';

/** Where one request goes, worked out once per call. */
export interface RequestTarget {
  /** Absolute URL sent to axios. */
  url: string;
  origin: string;
  /** The query with its `?`, or `''`. */
  search: string;
  /** Normalized path relative to the base URL's path (`/users`), or undefined when outside it. */
  relativePath?: string;
  /** Normalized absolute path (`/api/users`). */
  absolutePath: string;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Segments WHATWG URL keeps as they are: no `.`/`..`, escapes, empty segments, query or fragment. */
const PLAIN_SEGMENT = String.raw`(?!\.\.?(?:/|$))[\w.~-]+`;
const PLAIN_PATH = new RegExp(String.raw`^/?${PLAIN_SEGMENT}(?:/${PLAIN_SEGMENT})*/?$`);

/**
 * Resolves request URLs against `baseUrl`: `/users` and `users` both go to `<base>/users`, absolute
 * URLs are kept as they are. A plain path (most calls) is joined without parsing a URL, which would
 * leave it unchanged: parsing twice per request cost more than the rest of the client's own work.
 */
export function targetResolver(baseUrl: string): (url: string | undefined) => RequestTarget {
  const base = new URL(baseUrl);
  const basePath = normalizePath(base.pathname);
  // Read once: URL's `origin` is a getter that builds the string on every read.
  const origin = base.origin;
  const joinsPlainly = !/[?#]/.test(baseUrl);
  return (url) => {
    const raw = url ?? '';
    if (joinsPlainly && PLAIN_PATH.test(raw)) {
      const relativePath = `/${raw.replace(/^\/|\/$/g, '')}`;
      const absolutePath = basePath === '/' ? relativePath : `${basePath}${relativePath}`;
      return { url: joinUrl(baseUrl, raw), origin, search: '', relativePath, absolutePath };
    }
    return parseTarget(ABSOLUTE.test(raw) ? raw : joinUrl(baseUrl, raw), basePath);
  };
}

/** The target as WHATWG URL parses it: for every URL, and the reference the plain join agrees with. */
export function parseTarget(absolute: string, basePath: string): RequestTarget {
  const parsed = new URL(absolute);
  const absolutePath = normalizePath(parsed.pathname);
  let relativePath: string | undefined;
  if (basePath === '/') relativePath = absolutePath;
  else if (absolutePath === basePath) relativePath = '/';
  else if (absolutePath.startsWith(`${basePath}/`))
    relativePath = absolutePath.slice(basePath.length);
  return {
    url: absolute,
    origin: parsed.origin,
    search: parsed.search,
    relativePath,
    absolutePath,
  };
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
