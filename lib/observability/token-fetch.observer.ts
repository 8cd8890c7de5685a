import { INSTRUMENTATION_NAME, instrumentsOf } from './instruments';
import { attributesFor, recordTokenRequest } from './metrics';
import { loadOtelApi } from './otel-api';
import { tokenFailureCode } from './token-failure-code';

/**
 * Runs one token fetch (a grant with its retries, or a pipeline `step`, also counted as a token
 * request) in a span and records its duration; fetches are rare, so waiting for the API's first
 * load costs nothing. Only names and codes go on the span, never what a server could have sent.
 */
export async function observeTokenFetch<T>(
  client: string,
  fetch: () => Promise<T>,
  step?: string,
): Promise<T> {
  const api = await loadOtelApi();
  if (!api) return fetch();
  const attributes = attributesFor(client, 'request_forge.step', step);
  const span = api.trace
    .getTracer(INSTRUMENTATION_NAME)
    .startSpan('request_forge.token.fetch', { kind: api.SpanKind.CLIENT, attributes });
  const startedAt = performance.now();
  let outcome = 'success';
  try {
    // The token request's own HTTP span (instrumentation-http) becomes a child of this one.
    const result = await api.context.with(api.trace.setSpan(api.context.active(), span), fetch);
    if (step !== undefined) recordTokenRequest(client, undefined, step);
    return result;
  } catch (error) {
    if (step !== undefined) recordTokenRequest(client, error ?? new Error('failed'), step);
    outcome = 'failure';
    const code = tokenFailureCode(error);
    span.setAttribute('error.type', code);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
    throw error;
  } finally {
    const seconds = (performance.now() - startedAt) / 1000;
    instrumentsOf(api).tokenFetchDuration.record(seconds, { ...attributes, outcome });
    span.end();
  }
}
