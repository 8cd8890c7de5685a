import type { Attributes } from '@opentelemetry/api';
import type { CircuitState } from '../retry/circuit-breaker';
import { Instruments, instrumentsOf } from './instruments';
import { loadOtelApi, otelApiNow } from './otel-api';
import { tokenFailureCode } from './token-failure-code';

/** How one `getToken()` was answered (DESIGN "Observability"). */
export type TokenCacheResult = 'hit' | 'miss' | 'coalesced' | 'stale';

/** Runs `use` once the API has loaded (nothing recorded during the first load is lost). */
function record(use: (instruments: Instruments) => void): void {
  const api = otelApiNow();
  if (api) return use(instrumentsOf(api));
  if (api === undefined) {
    void loadOtelApi().then((loaded) => loaded && use(instrumentsOf(loaded)));
  }
}

/** One attribute set per client and value, made once: the hit path allocates none. */
const attributeSets = new Map<string, Map<string, Attributes>>();

export function attributesFor(client: string, key?: string, value?: string): Attributes {
  let ofClient = attributeSets.get(client);
  if (!ofClient) attributeSets.set(client, (ofClient = new Map()));
  const id = key === undefined ? '' : `${key}=${value ?? ''}`;
  let attributes = ofClient.get(id);
  if (!attributes) {
    attributes = Object.freeze({
      'request_forge.client': client,
      ...(key !== undefined && value !== undefined ? { [key]: value } : {}),
    });
    ofClient.set(id, attributes);
  }
  return attributes;
}

/** Counts one `getToken()` answer and hands the answer back, so a call site stays one line. */
export function recordTokenCache<T>(client: string, result: TokenCacheResult, answer: T): T {
  record((i) => i.tokenCache.add(1, attributesFor(client, 'result', result)));
  return answer;
}

/**
 * Counts one request to a token endpoint or pipeline step: `failure` absent on success, else the
 * error it ended with (only its protocol code or `network` / `timeout` is recorded).
 */
export function recordTokenRequest(client: string, failure?: unknown, step?: string): void {
  const attributes: Attributes = {
    ...attributesFor(client, 'request_forge.step', step),
    outcome: failure === undefined ? 'success' : 'failure',
    ...(failure !== undefined ? { error: tokenFailureCode(failure) } : {}),
  };
  record((i) => i.tokenRequests.add(1, attributes));
}

export function recordAuthRetry(client: string): void {
  record((i) => i.authRetries.add(1, attributesFor(client)));
}

export function recordRequestRetry(client: string): void {
  record((i) => i.requestRetries.add(1, attributesFor(client)));
}

export function recordCircuitTransition(client: string | undefined, state: CircuitState) {
  record((i) => i.circuitTransitions.add(1, attributesFor(client ?? 'unnamed', 'state', state)));
}
