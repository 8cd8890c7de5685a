import { AxiosRequestConfig } from 'axios';

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/** Shape of the options follow-redirects hands to axios' `beforeRedirect`. */
interface RedirectOptions {
  href?: string;
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: string | number;
  headers?: Record<string, unknown>;
}

/**
 * A `beforeRedirect` that removes every credential header once a hop leaves `origin` (and tells
 * `onLeft`): axios itself strips only `Authorization` and `Cookie`, not an API-key header.
 */
export function stripCredentialsOnForeignRedirect(
  origin: URL,
  headerNames: readonly string[],
  next?: BeforeRedirect,
  onLeft?: () => void,
): BeforeRedirect {
  const names = new Set(headerNames.map((h) => h.toLowerCase()));
  return (options, responseDetails, requestDetails) => {
    const hop = options as RedirectOptions;
    if (redirectTarget(hop).origin !== origin.origin) {
      onLeft?.();
      for (const header of Object.keys(hop.headers ?? {})) {
        if (names.has(header.toLowerCase())) delete hop.headers?.[header];
      }
    }
    next?.(options, responseDetails, requestDetails);
  };
}

function redirectTarget(options: RedirectOptions): URL {
  if (options.href) return new URL(options.href);
  const port = options.port ? `:${options.port}` : '';
  return new URL(`${options.protocol ?? 'http:'}//${options.hostname ?? options.host}${port}/`);
}
