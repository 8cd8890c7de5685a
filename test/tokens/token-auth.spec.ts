import { createTokenProvider, TokenAuth, TokenManager } from '../../lib';
import { OidcTestServer } from '../support/oidc-server';
import { ProtectedApi } from '../support/protected-api';

describe('TokenAuth', () => {
  let oidc: OidcTestServer;
  let api: ProtectedApi;

  beforeAll(async () => {
    oidc = await OidcTestServer.start();
    api = await ProtectedApi.start({ validate: (token) => oidc.introspect(token) });
  });
  afterAll(async () => {
    await api.close();
    await oidc.close();
  });

  it('applies a bearer token the API accepts and drops exactly the refused one', async () => {
    const manager = new TokenManager(createTokenProvider('orders', oidc.clientCredentialsAuth()));
    const auth = new TokenAuth(manager);
    expect(auth.kind).toBe('token');
    expect(auth.headerNames).toEqual(['Authorization']);
    expect(auth.secrets).toEqual([]);

    const applied = await auth.apply();
    const first = await fetch(`${api.baseUrl}/orders`, { headers: applied.headers });
    expect(first.status).toBe(200);
    expect(applied.headers.Authorization).toBe(`Bearer ${applied.token!.accessToken}`);

    await oidc.revoke(applied.token!.accessToken);
    api.revoke(applied.token!.accessToken);
    expect((await fetch(`${api.baseUrl}/orders`, { headers: applied.headers })).status).toBe(401);
    await auth.onUnauthorized(applied);
    const retried = await auth.apply();
    expect(retried.token!.sameTokenAs(applied.token)).toBe(false);
    expect((await fetch(`${api.baseUrl}/orders`, { headers: retried.headers })).status).toBe(200);
  });
});
