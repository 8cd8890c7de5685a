import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { BodyTokenFetcher, InMemoryTokenStorage, TokenFetchPipeline } from '../../lib';

/** Issues login tokens per credential and exchanges them; counts logins per credential. */
async function startTenantServer() {
  const logins = new Map<string, number>();
  const tenantOfLogin = new Map<string, string>();
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    let token: string;
    if (req.url === '/login') {
      const credential = String(req.headers['x-api-key'] ?? form.get('password'));
      logins.set(credential, (logins.get(credential) ?? 0) + 1);
      token = `login-${tenantOfLogin.size}`;
      tenantOfLogin.set(token, credential);
    } else {
      const login = String(req.headers.authorization).replace('Bearer ', '');
      token = `final-for-${tenantOfLogin.get(login) ?? 'nobody'}`;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ access_token: token, expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, logins, close: () => new Promise((resolve) => server.close(resolve)) };
}

type Credential =
  { requestHeaders: Record<string, string> } | { requestData: Record<string, string> };

describe('TokenFetchPipeline steps that differ only in a secret', () => {
  let server: Awaited<ReturnType<typeof startTenantServer>>;
  beforeEach(async () => (server = await startTenantServer()));
  afterEach(() => server.close());

  const pipeline = (storage: InMemoryTokenStorage, credential: Credential) =>
    new TokenFetchPipeline({
      storage,
      steps: [
        new BodyTokenFetcher({
          name: 'login',
          baseUrl: server.url,
          endpoint: '/login',
          ...credential,
        }),
        new BodyTokenFetcher({
          name: 'exchange',
          baseUrl: server.url,
          endpoint: '/exchange',
          dependsOn: ['login'],
          requestHeaders: { Authorization: 'Bearer {{login}}' },
        }),
      ],
    });

  it.each<[string, (secret: string) => Credential]>([
    ['an API key header', (key) => ({ requestHeaders: { 'X-API-Key': key } })],
    ['a password field', (password) => ({ requestData: { username: 'svc', password } })],
  ])('never share a cached step when they differ in %s', async (_, credential) => {
    const storage = new InMemoryTokenStorage();
    const tenantA = await pipeline(storage, credential('SECRET-A')).run();
    const tenantB = await pipeline(storage, credential('SECRET-B')).run();
    expect(tenantA.accessToken).toBe('final-for-SECRET-A');
    expect(tenantB.accessToken).toBe('final-for-SECRET-B');
    expect(Object.fromEntries(server.logins)).toEqual({ 'SECRET-A': 1, 'SECRET-B': 1 });
  });

  it('share a cached step when the secret is the same too', async () => {
    const storage = new InMemoryTokenStorage();
    const header = { requestHeaders: { 'X-API-Key': 'SECRET-A' } };
    await pipeline(storage, header).run();
    const again = await pipeline(storage, header).run();
    expect(again.accessToken).toBe('final-for-SECRET-A');
    expect(Object.fromEntries(server.logins)).toEqual({ 'SECRET-A': 1 });
  });
});
