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

/** `/a//b/./c/../d/?x=1` → `/a/b/d`. Uses WHATWG URL so that `%2e%2e` counts as `..`. */
export function normalizePath(path: string): string {
  const withoutQuery = path.split(/[?#]/, 1)[0] ?? '';
  const pathname = new URL(
    withoutQuery.startsWith('/') ? withoutQuery : `/${withoutQuery}`,
    'http://x',
  ).pathname;
  const collapsed = pathname.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : collapsed;
}
