type HeaderValue = string | number | boolean | string[] | null | undefined;

/** Merges header records case-insensitively (later layers win); `undefined` removes a header. */
export function mergeHeaders(
  ...layers: (Record<string, unknown> | undefined)[]
): Record<string, HeaderValue> {
  const byLowerName = new Map<string, [string, HeaderValue]>();
  for (const layer of layers) {
    if (!layer) continue;
    for (const [name, value] of Object.entries(layer)) {
      byLowerName.set(name.toLowerCase(), [name, value as HeaderValue]);
    }
  }
  const out: Record<string, HeaderValue> = {};
  for (const [name, value] of byLowerName.values()) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The key `headers` spells `name` with, case-insensitively. */
export function headerKey(headers: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((h) => h.toLowerCase() === lower);
}
