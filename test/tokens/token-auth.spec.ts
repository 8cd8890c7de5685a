import { TokenManager } from '../../lib';
import { TokenAuth } from '../../lib/auth/token-auth';
import { createTokenProvider } from '../../lib/tokens/token-provider.factory';
import { useOidcAndApi } from '../support/oidc-and-api';

describe('TokenAuth', () => {
  const servers = useOidcAndApi();

  it('applies a bearer token the API accepts and drops exactly the refused one', async () => {
    const manager = new TokenManager(
      createTokenProvider('orders', servers.oidc.clientCredentialsAuth()),
    );
    const auth = new TokenAuth(manager);
    expect(auth.kind).toBe('token');
    expect(auth.headerNames).toEqual(['Authorization']);
    expect(auth.secrets).toEqual([]);

    const applied = await auth.apply();
    const first = await fetch(`${servers.api.baseUrl}/orders`, { headers: applied.headers });
    expect(first.status).toBe(200);
    expect(applied.headers.Authorization).toBe(`Bearer ${applied.token!.accessToken}`);

    await servers.oidc.revoke(applied.token!.accessToken);
    servers.api.revoke(applied.token!.accessToken);
    expect(
      (await fetch(`${servers.api.baseUrl}/orders`, { headers: applied.headers })).status,
    ).toBe(401);
    await auth.onUnauthorized(applied);
    const retried = await auth.apply();
    expect(retried.token!.sameTokenAs(applied.token)).toBe(false);
    expect(
      (await fetch(`${servers.api.baseUrl}/orders`, { headers: retried.headers })).status,
    ).toBe(200);
  });
});
