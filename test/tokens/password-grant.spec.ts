import { AuthenticationException, PasswordGrantTokenProvider, TokenManager } from '../../lib';
import { ManualClock } from '../../lib/testing';
import {
  ALICE,
  PASSWORD_CLIENT,
  PasswordGrantTestServer,
  PUBLIC_CLIENT,
} from '../support/password-grant-server';
import { StoreWatcher } from '../support/clocked-tokens';
import { ProtectedApi } from '../support/protected-api';
import { useLogCapture } from '../support/log-capture';
import { expectSecretsAbsent } from '../support/secrets';

describe('PasswordGrantTokenProvider against @node-oauth/oauth2-server (RFC 6749 §4.3, §6)', () => {
  let server: PasswordGrantTestServer;
  let api: ProtectedApi;
  const logs = useLogCapture();

  beforeAll(async () => {
    // Interoperability with a real server; the manager's timing runs on a ManualClock.
    server = await PasswordGrantTestServer.start();
    api = await ProtectedApi.start({ validate: (token) => server.validate(token) });
  });
  afterAll(async () => {
    await api.close();
    await server.close();
  });
  beforeEach(() => server.reset());

  const provider = (
    overrides: Partial<ConstructorParameters<typeof PasswordGrantTokenProvider>[0]> = {},
  ) =>
    new PasswordGrantTokenProvider({
      tokenUrl: server.tokenUrl,
      clientId: PASSWORD_CLIENT.clientId,
      clientSecret: PASSWORD_CLIENT.clientSecret,
      username: ALICE.username,
      password: ALICE.password,
      serviceName: 'users-api',
      ...overrides,
    });

  it('gets a token the protected API accepts, with a refresh token', async () => {
    const token = await provider().fetchToken();
    expect(token.refreshToken).toBeTruthy();
    expect(await api.accepts(token.accessToken)).toBe(true);
    expect(server.grantCounts).toEqual({ password: 1 });
  });

  it('works as a public client (no secret) and with HTTP Basic', async () => {
    const publicToken = await provider({
      clientId: PUBLIC_CLIENT.clientId,
      clientSecret: undefined,
    }).fetchToken();
    const basicToken = await provider({ authMethod: 'header' }).fetchToken();
    expect(await api.accepts(publicToken.accessToken)).toBe(true);
    expect(await api.accepts(basicToken.accessToken)).toBe(true);
  });

  it('renews with grant_type=refresh_token in the background (counted at the server)', async () => {
    const clock = new ManualClock();
    const storage = new StoreWatcher();
    const manager = new TokenManager(provider(), storage, { refreshSkew: 1_000, clock });
    const first = await manager.getToken();
    // 1 s skew: once within it, the token is served while one refresh runs.
    clock.advance(first.expiresInMs(clock.now())! - 1_000 + 200);
    expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    await storage.stored(2); // the background refresh has stored its token: the manager serves it
    const renewed = await manager.getToken();
    expect(renewed.sameTokenAs(first)).toBe(false);
    expect(server.grantCounts).toEqual({ password: 1, refresh_token: 1 });
    expect(await api.accepts(renewed.accessToken)).toBe(true);
  });

  it('renews an expired token with grant_type=refresh_token too', async () => {
    const clock = new ManualClock();
    const manager = new TokenManager(provider(), undefined, { refreshSkew: 0, clock });
    const first = await manager.getToken();
    clock.advance(first.expiresInMs(clock.now())! + 100);
    const renewed = await manager.getToken();
    expect(renewed.sameTokenAs(first)).toBe(false);
    expect(server.grantCounts).toEqual({ password: 1, refresh_token: 1 });
  });

  it('renews a refused token with its refresh token', async () => {
    const manager = new TokenManager(provider(), undefined, { refreshSkew: 0 });
    const refused = await manager.getToken();
    server.revoke(refused.accessToken);
    expect(await api.accepts(refused.accessToken)).toBe(false);
    await manager.invalidate(refused);
    const renewed = await manager.getToken();
    expect(renewed.sameTokenAs(refused)).toBe(false);
    expect(server.grantCounts).toEqual({ password: 1, refresh_token: 1 });
    expect(await api.accepts(renewed.accessToken)).toBe(true);
  });

  it('falls back to the password grant when the refresh is refused', async () => {
    const p = provider();
    const first = await p.fetchToken();
    server.refuseRefresh = true;
    const renewed = await p.refreshToken(first);
    expect(server.grantCounts).toEqual({ password: 2, refresh_token: 1 });
    expect(await api.accepts(renewed.accessToken)).toBe(true);
    expectSecretsAbsent(
      logs.text,
      [ALICE.password, PASSWORD_CLIENT.clientSecret, first.accessToken, first.refreshToken!],
      logs,
    );
  });

  it('reports a wrong password as invalid_grant without leaking it', async () => {
    const wrong = 'not-al1ce-password';
    let error: unknown;
    try {
      await provider({ password: wrong }).fetchToken();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ error: 'invalid_grant', status: 400, attempts: 1 });
    expectSecretsAbsent(error, [wrong, ALICE.password, PASSWORD_CLIENT.clientSecret], logs);
  });
});
