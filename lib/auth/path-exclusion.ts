import picomatch from 'picomatch';

/**
 * Which normalized request paths get no credential. In globs `*` never crosses `/` and `**` does;
 * a pattern without a leading `/` is matched against the path without its leading `/`.
 */
export function pathExclusion(
  excludedPaths: readonly string[],
  excludedPathPatterns: readonly string[],
): (absolutePath: string, relativePath?: string) => boolean {
  if (excludedPaths.length === 0 && excludedPathPatterns.length === 0) return () => false;
  const exact = new Set(excludedPaths.map((p) => normalizePath(p)));
  const matchers = excludedPathPatterns.map((pattern) => {
    const anchored = pattern.startsWith('/');
    const isMatch = picomatch(pattern, { dot: true });
    return (path: string) => isMatch(anchored ? path : path.slice(1));
  });
  const excluded = (path: string | undefined) =>
    path !== undefined && (exact.has(path) || matchers.some((matches) => matches(path)));
  // Both normalized: the path relative to the base path and the absolute one.
  return (absolutePath, relativePath) => excluded(relativePath) || excluded(absolutePath);
}

/** A percent-encoded unreserved character (RFC 3986 §2.3): the same as the character itself. */
const ENCODED_UNRESERVED = /%(?:[46][1-9A-F]|[57][0-9A]|3[0-9]|2[DE]|5F|7E)/gi;

/**
 * `/a//b/./c/../d/?x=1` → `/a/b/d`; `/%68ealth` → `/health` (§6.2.2.2). Uses WHATWG URL so that
 * `%2e%2e` counts as `..`.
 */
export function normalizePath(path: string): string {
  const decoded = path.replace(ENCODED_UNRESERVED, (escape) =>
    String.fromCharCode(parseInt(escape.slice(1), 16)),
  );
  const withoutQuery = decoded.split(/[?#]/, 1)[0] ?? '';
  const pathname = new URL(
    withoutQuery.startsWith('/') ? withoutQuery : `/${withoutQuery}`,
    'http://x',
  ).pathname;
  const collapsed = pathname.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : collapsed;
}
