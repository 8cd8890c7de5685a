import type * as OtelApi from '@opentelemetry/api';

export type OtelApiModule = typeof OtelApi;

/** `undefined` until the first use has settled; `null` when the optional peer is not installed. */
let api: OtelApiModule | null | undefined;
let loading: Promise<OtelApiModule | null> | undefined;

/**
 * `@opentelemetry/api` (an optional peer), loaded on first use and only once: apps without it
 * record nothing and fail nothing. A dynamic import, as for `@keyv/redis`, so that both builds
 * (CommonJS `require`, ESM `import`) load it the way their host expects.
 */
export function loadOtelApi(): Promise<OtelApiModule | null> {
  loading ??= import('@opentelemetry/api').then(
    (loaded) => (api = loaded),
    () => (api = null),
  );
  return loading;
}

/** The API if it has loaded, `null` without it, `undefined` while the first load runs. */
export function otelApiNow(): OtelApiModule | null | undefined {
  if (api === undefined) void loadOtelApi();
  return api;
}

/**
 * Replaces what the first use loads: `null` as if the peer were not installed, `undefined` to load
 * it again. For benches and tests that compare both in one process; not part of the public API.
 */
export function overrideOtelApi(replacement: OtelApiModule | null | undefined): void {
  api = replacement;
  loading = replacement === undefined ? undefined : Promise.resolve(replacement);
}
