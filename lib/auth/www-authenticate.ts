/** The `error` and `error_description` auth-params of a Bearer challenge (RFC 6750 §3). */
export function parseWwwAuthenticate(header: string | undefined): {
  error?: string;
  errorDescription?: string;
} {
  if (!header) return {};
  const param = (name: string): string | undefined => {
    const match = new RegExp(`${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^,\\s]+))`, 'i').exec(
      header,
    );
    return match ? (match[1] ?? match[2])?.replace(/\\(.)/g, '$1') : undefined;
  };
  const error = param('error');
  const errorDescription = param('error_description');
  return {
    ...(error ? { error } : {}),
    ...(errorDescription ? { errorDescription } : {}),
  };
}
