import { AxiosRequestConfig } from 'axios';
import { Redactor } from '../errors/redaction';
import { headerKey } from './header-merge';
import { withParams } from './request-target';

/** A curl line for a request, secrets shown as `***` so that it can be pasted into a ticket. */
export function toCurlCommand(
  { method, data, params }: AxiosRequestConfig,
  url: string,
  headers: Record<string, unknown>,
  redactor: Redactor,
): string {
  const target = quote(redactor.url(withParams(url, params)));
  const verb = (method ?? 'GET').toUpperCase();
  // Quoted unless plain letters: the line is meant to be pasted into a shell.
  const parts = ['curl', '-X', /^[A-Z]+$/.test(verb) ? verb : quote(verb), target];
  const safeHeaders = redactor.headers(headers);
  let body: string | undefined;
  if (data !== undefined && data !== null) {
    const redacted = redactor.body(data);
    body = typeof redacted === 'string' ? redacted : JSON.stringify(redacted);
    if (headerKey(safeHeaders, 'content-type') === undefined) {
      safeHeaders['Content-Type'] =
        typeof data === 'string' || data instanceof URLSearchParams
          ? 'application/x-www-form-urlencoded'
          : 'application/json';
    }
  }
  for (const [name, value] of Object.entries(safeHeaders)) {
    parts.push('-H', quote(`${name}: ${value}`));
  }
  if (body !== undefined) parts.push('--data-raw', quote(body));
  return parts.join(' ');
}

/** POSIX shell single quotes; a `'` inside becomes `'\''`. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
