/**
 * A step's HTTP answer as fetchers read it: lower-case header names; the body parsed as JSON, or
 * the text itself when it is not JSON.
 */
export interface TokenHttpResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  data: unknown;
}

/**
 * The token a step found (a header may also give its type), or what the response lacked: where,
 * never what was there (it may be a token).
 */
export type StepToken = { accessToken: string; tokenType?: string } | { problem: string };

/** Reads `a.b.c` from parsed JSON; undefined when any part is missing. */
export function readDotPath(body: unknown, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function readString(body: unknown, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const value = readDotPath(body, path);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
