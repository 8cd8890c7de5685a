import { randomUUID } from 'node:crypto';
import { headerKey } from '../client/header-merge';
import { ForgeHooks } from './hook.types';

const CORRELATION_KEY = 'correlationId';

/**
 * Sends a correlation id header (default `X-Correlation-ID`), the same on every retry of one call
 * and different between calls. A header the caller already set is kept and reused.
 */
export function correlationIdHook(
  headerName = 'X-Correlation-ID',
  generate: () => string = randomUUID,
): ForgeHooks {
  return {
    beforeRequest: [
      (config, context) => {
        const headers = { ...(config.headers as Record<string, unknown> | undefined) };
        const key = headerKey(headers, headerName);
        const own = key === undefined ? undefined : headers[key];
        context.metadata[CORRELATION_KEY] ??= typeof own === 'string' ? own : generate();
        if (key === undefined) headers[headerName] = context.metadata[CORRELATION_KEY];
        return { ...config, headers: headers as Record<string, string> };
      },
    ],
  };
}

export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** As the server sent it (often epoch seconds or seconds until reset). */
  reset?: number;
}

/** Copies `X-RateLimit-Limit/Remaining/Reset` (any case) into `context.metadata.rateLimit`. */
export function rateLimitHook(): ForgeHooks {
  return {
    afterResponse: [
      (response, context) => {
        const headers = (response.headers ?? {}) as Record<string, unknown>;
        const read = (name: string): number | undefined => {
          const key = headerKey(headers, name);
          const value = Number(key === undefined ? undefined : headers[key]);
          return Number.isFinite(value) ? value : undefined;
        };
        const info: RateLimitInfo = {
          limit: read('x-ratelimit-limit'),
          remaining: read('x-ratelimit-remaining'),
          reset: read('x-ratelimit-reset'),
        };
        if (Object.values(info).some((v) => v !== undefined)) context.metadata.rateLimit = info;
      },
    ],
  };
}
