import { AxiosError, InternalAxiosRequestConfig } from 'axios';
import type { IncomingHttpHeaders } from 'node:http';
import { UndiciBody } from './undici-body';

/** One request of a (possibly redirected) exchange. */
export interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string | string[]>;
  body: UndiciBody;
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** axios leaves `maxRedirects` to follow-redirects, whose default is 21. */
export const DEFAULT_MAX_REDIRECTS = 21;

export function isRedirect(status: number, headers: IncomingHttpHeaders): boolean {
  return REDIRECTS.has(status) && typeof headers.location === 'string';
}

/**
 * The next hop as follow-redirects (axios' Node adapter) makes it (RFC 9110 §15.4), so that
 * `beforeRedirect`, our credential guard included, sees the same options: undici's own redirect
 * interceptor has no such hook.
 */
export function nextHop(
  current: Hop,
  status: number,
  responseHeaders: IncomingHttpHeaders,
  config: InternalAxiosRequestConfig,
  request: object,
): Hop {
  const url = new URL(responseHeaders.location as string, current.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AxiosError(
      `Unsupported protocol ${url.protocol}`,
      'ERR_FR_REDIRECTION_FAILURE',
      config,
      request,
    );
  }
  let method = current.method;
  let body = current.body;
  const headers = { ...current.headers };
  if (
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD')
  ) {
    method = 'GET';
    body = null;
    removeHeaders(headers, /^content-/i);
  } else if (body !== null && typeof body === 'object' && 'pipe' in body) {
    throw new AxiosError(
      `Cannot replay a stream body on a ${status} redirect`,
      'ERR_FR_REDIRECTION_FAILURE',
      config,
      request,
    );
  }
  removeHeaders(headers, /^host$/i);
  const downgrade = current.url.protocol === 'https:' && url.protocol !== 'https:';
  if (downgrade || (url.host !== current.url.host && !isSubdomain(url.host, current.url.host))) {
    removeHeaders(headers, /^(?:(?:proxy-)?authorization|cookie)$/i);
  }
  const options = {
    href: url.href,
    protocol: url.protocol,
    host: url.host,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
  };
  config.beforeRedirect?.(
    options,
    { headers: responseHeaders as Record<string, string>, statusCode: status },
    {
      url: current.url.href,
      method: current.method,
      headers: current.headers as Record<string, string>,
    },
  );
  return { url, method: options.method, headers: options.headers, body };
}

function removeHeaders(headers: Record<string, unknown>, pattern: RegExp): void {
  for (const name of Object.keys(headers)) if (pattern.test(name)) delete headers[name];
}

function isSubdomain(sub: string, domain: string): boolean {
  const dot = sub.length - domain.length - 1;
  return dot > 0 && sub[dot] === '.' && sub.endsWith(domain);
}
