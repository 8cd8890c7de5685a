import { OidcServerOptions, OidcTestServer } from './oidc-server';
import { ProtectedApi } from './protected-api';

export interface OidcAndApi {
  readonly oidc: OidcTestServer;
  /** Accepts the tokens `oidc` issued, asking its introspection endpoint. */
  readonly api: ProtectedApi;
}

/**
 * A real OIDC provider and an API it protects, started for the enclosing `describe`, reset before
 * each test (no tokens, stats or faults; no recorded requests) and closed after the last.
 */
export function useOidcAndApi(options: OidcServerOptions = {}): OidcAndApi {
  const servers = {} as { oidc: OidcTestServer; api: ProtectedApi };
  beforeAll(async () => {
    servers.oidc = await OidcTestServer.start(options);
    servers.api = await ProtectedApi.start({ validate: (token) => servers.oidc.introspect(token) });
  });
  beforeEach(async () => {
    await servers.oidc.reset();
    servers.api.requests.length = 0;
  });
  afterAll(async () => {
    await servers.api?.close();
    await servers.oidc?.close();
  });
  return servers;
}
