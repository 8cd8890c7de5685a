import { AxiosHeaders } from 'axios';

/** Headers as a plain record, from `AxiosHeaders` or anything shaped like headers. */
export function plainHeaders(headers: unknown): Record<string, unknown> {
  if (headers instanceof AxiosHeaders) return headers.toJSON();
  if (headers && typeof headers === 'object') return { ...(headers as Record<string, unknown>) };
  return {};
}

/** Lower-case names to string values (lists joined with `, `); empty values left out. */
export function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(plainHeaders(headers))) {
    const text = headerText(value);
    if (text !== undefined) out[name.toLowerCase()] = text;
  }
  return out;
}

/** One header value as text: a list joined with `, `, a number or boolean as written. */
export function headerText(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

/**
 * An RFC 9110 §5.5 field value of visible ASCII with inner spaces or tabs only: no CR/LF or other
 * control characters (axios would strip them and send something else).
 */
export function isVisibleHeaderValue(value: string): boolean {
  return /^[\x21-\x7E](?:[ \t\x21-\x7E]*[\x21-\x7E])?$/.test(value);
}
