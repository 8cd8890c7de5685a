import { TokenAuth } from '../auth/token-auth';
import type { ForgeClient } from '../client/forge-client';
import type { CircuitState } from '../retry/circuit-breaker';
import type { TokenManagerState } from '../tokens/failure-backoff';

/** One client's health, as `ForgeClientRegistry.health()` reports it. */
export interface ForgeClientHealth {
  /**
   * `down` while the circuit is open or no token can be had; `degraded` while the token endpoint
   * fails but a valid token is still served, or while the circuit is half-open; else `up`.
   */
  status: 'up' | 'degraded' | 'down';
  /** Absent without a circuit breaker. */
  circuit?: CircuitState;
  /** Token clients only: what their token manager's `state` says of these. */
  token?: Pick<TokenManagerState, 'expiresAt' | 'failingSince' | 'lastError'>;
}

export type ForgeClientsHealth = Record<string, ForgeClientHealth>;

/** Each client's breaker state, read without exposing the breaker on ForgeClient's type. */
const circuits = new WeakMap<object, () => CircuitState | undefined>();

export function registerCircuit(client: object, state: () => CircuitState | undefined): void {
  circuits.set(client, state);
}

/** From what the client already holds: no request, no storage read, no token fetch. */
export function clientHealth(client: ForgeClient): ForgeClientHealth {
  const circuit = circuits.get(client)?.();
  const auth = client.config.auth;
  const tokens = auth instanceof TokenAuth ? auth.tokenManager.state : undefined;
  let status: ForgeClientHealth['status'] = 'up';
  if (tokens?.failingSince) status = tokens.hasValidToken ? 'degraded' : 'down';
  if (circuit === 'half-open' && status === 'up') status = 'degraded';
  if (circuit === 'open') status = 'down';
  const token = tokens && {
    ...(tokens.expiresAt && { expiresAt: tokens.expiresAt }),
    ...(tokens.failingSince && { failingSince: tokens.failingSince }),
    ...(tokens.lastError !== undefined && { lastError: tokens.lastError }),
  };
  return { status, ...(circuit !== undefined ? { circuit } : {}), ...(token ? { token } : {}) };
}
