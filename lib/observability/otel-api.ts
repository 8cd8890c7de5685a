import type * as OtelApi from '@opentelemetry/api';

export type OtelApiModule = typeof OtelApi;

/** `undefined` until the first use has settled; `null` when the optional peer is not installed. */
let api: OtelApiModule | null | undefined;
let loading: Promise<OtelApiModule | null> | undefined;

/**
 * `@opentelemetry/api` (an optional peer), loaded once on first use; apps without it record
 * nothing. A dynamic import so that the CommonJS and ESM builds each load it the host's way.
 */
export function loadOtelApi(): Promise<OtelApiModule | null> {
  loading ??= import('@opentelemetry/api').then(
    (loaded) => (api = loaded),
    () => (api = null),
  );
  return loading;
}

/** The API if it has loaded, `null` without it, `undefined` until the first load has settled. */
export function otelApiNow(): OtelApiModule | null | undefined {
  return api;
}

/** For benches comparing both in one process: `null` as if not installed, `undefined` reloads. */
export function overrideOtelApi(replacement: OtelApiModule | null | undefined): void {
  api = replacement;
  loading = replacement === undefined ? undefined : Promise.resolve(replacement);
}
