import { AxiosRequestConfig } from 'axios';

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/** Shape of the options follow-redirects hands to axios' `beforeRedirect`. */
interface RedirectOptions {
  href?: string;
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: string | number;
  path?: string;
  method?: string;
  headers?: Record<string, unknown>;
}

/**
 * A `beforeRedirect` that removes every credential header once a hop leaves `origin` (and tells
 * `onLeft`): axios itself strips only `Authorization` and `Cookie`, not an API-key header. A hop
 * that stays gets a new DPoP proof from `reprove`: a proof names one method and URI (RFC 9449 §4.2).
 */
export function stripCredentialsOnForeignRedirect(
  origin: URL,
  headerNames: readonly string[],
  next?: BeforeRedirect,
  onLeft?: () => void,
  reprove?: (method: string, url: string) => string,
): BeforeRedirect {
  const names = new Set(headerNames.map((h) => h.toLowerCase()));
  return (options, responseDetails, requestDetails) => {
    const hop = options as RedirectOptions;
    const target = redirectTarget(hop);
    const left = target.origin !== origin.origin;
    if (left) onLeft?.();
    const headers = hop.headers ?? {};
    for (const header of Object.keys(headers)) {
      const name = header.toLowerCase();
      if (left && names.has(name)) delete headers[header];
      else if (!left && reprove && name === 'dpop') {
        headers[header] = reprove(hop.method ?? 'GET', target.href);
      }
    }
    next?.(options, responseDetails, requestDetails);
  };
}

function redirectTarget(options: RedirectOptions): URL {
  if (options.href) return new URL(options.href);
  const port = options.port ? `:${options.port}` : '';
  const base = `${options.protocol ?? 'http:'}//${options.hostname ?? options.host}${port}`;
  return new URL(options.path ?? '/', base);
}
