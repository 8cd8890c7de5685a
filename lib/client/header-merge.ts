type HeaderValue = string | number | boolean | string[] | null | undefined;

/** Merges header records case-insensitively (later layers win); `undefined` removes a header. */
export function mergeHeaders(
  ...layers: (Record<string, unknown> | undefined)[]
): Record<string, HeaderValue> {
  const filled = layers.filter((layer) => layer !== undefined && !isEmpty(layer));
  // Most requests: the credential alone, or the defaults alone. Nothing to merge, just copy.
  if (filled.length <= 1) return copyDefined(filled[0]);
  const byLowerName = new Map<string, [string, HeaderValue]>();
  for (const layer of filled) {
    for (const [name, value] of Object.entries(layer as Record<string, unknown>)) {
      byLowerName.set(name.toLowerCase(), [name, value as HeaderValue]);
    }
  }
  const out: Record<string, HeaderValue> = {};
  for (const [name, value] of byLowerName.values()) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function isEmpty(record: Record<string, unknown>): boolean {
  for (const _name in record) return false;
  return true;
}

function copyDefined(layer: Record<string, unknown> | undefined): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  if (!layer) return out;
  for (const name of Object.keys(layer)) {
    const value = layer[name] as HeaderValue;
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The key `headers` spells `name` with, case-insensitively. */
export function headerKey(headers: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((h) => h.toLowerCase() === lower);
}
