import { generateKeyPairSync } from 'node:crypto';
import { ForgeClient, ForgeClientOptions } from '../../lib';
import { DpopOptions } from '../../lib/auth/dpop-key';
import { OidcTestServer, POST_CLIENT } from '../support/oidc-server';
import { RecordedRequest, RecordingServer } from '../support/recording-server';
import { LeakHarness } from './leak-harness';

/**
 * A careless API that echoes the DPoP proof and the token it received under keys no redactor
 * knows, and in a response header. `/ok`, `/401` (invalid_token), `/nonce` (a new nonce
 * challenge every time), `/403`, `/500`, `/slow`, and `/moved` (a same-origin 307 to `/500`).
 */
function startDpopEchoApi(): Promise<RecordingServer> {
  let nonce = 0;
  return RecordingServer.start((req, res, recorded) => {
    const echo = {
      seen: req.headers.authorization ?? null,
      proofSeen: req.headers.dpop ?? null,
      detail: `proof ${String(req.headers.dpop)} with ${String(req.headers.authorization)}`,
    };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      nonce += 1;
      res.writeHead(status, {
        'content-type': 'application/json',
        'dpop-nonce': `echo-nonce-${nonce}`,
        'x-echo-proof': String(req.headers.dpop ?? ''),
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    switch (recorded.path) {
      case '/ok':
        return send(200, { ok: true, ...echo });
      case '/401':
        return send(401, echo, { 'www-authenticate': 'DPoP error="invalid_token"' });
      case '/nonce':
        return send(401, echo, { 'www-authenticate': 'DPoP error="use_dpop_nonce"' });
      case '/403':
        return send(403, echo);
      case '/500':
        return send(500, echo);
      case '/moved':
        return send(307, echo, { location: '/500' });
      case '/slow':
        setTimeout(() => send(200, echo), 1_500).unref();
        return;
      default:
        return send(404, echo);
    }
  });
}

const proofOf = (request: RecordedRequest) => request.headers.dpop as string | undefined;
const tokenOf = (request: RecordedRequest) =>
  /^DPoP (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];

describe('no leaks of DPoP proofs, keys or DPoP-bound tokens', () => {
  let oidc: OidcTestServer;
  let api: RecordingServer;
  let leaks: LeakHarness;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecPem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const rsaJwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });

  beforeAll(async () => {
    oidc = await OidcTestServer.start({ dpop: true });
  });
  afterAll(() => oidc.close());
  beforeEach(async () => {
    await oidc.reset();
    api = await startDpopEchoApi();
    leaks = new LeakHarness();
    leaks.addSecrets(POST_CLIENT.clientSecret, ecPem, ...ecPem.split('\n'));
    leaks.addSecrets(...['d', 'p', 'q', 'dp', 'dq', 'qi'].map((m) => String(rsaJwk[m as 'd'])));
  });
  afterEach(async () => {
    await leaks.close();
    await api.close();
  });

  const options = (
    dpop: DpopOptions,
    clientSecret = POST_CLIENT.clientSecret,
  ): ForgeClientOptions => ({
    baseUrl: api.url,
    storage: 'memory',
    timeout: 300,
    retry: { type: 'exponential', maxRetries: 2, baseDelay: 10, maxDelay: 20, jitter: false },
    auth: {
      type: 'client-credentials',
      tokenUrl: oidc.tokenUrl,
      clientId: POST_CLIENT.clientId,
      clientSecret,
      dpop,
    },
  });

  async function drive(client: ForgeClient): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      client.get('/ok').subscribe({ complete: resolve, error: reject }),
    );
    const refused = await leaks.failure(client, { method: 'GET', url: '/401' });
    expect(refused.name).toBe('AuthenticationException');
    const challenged = await leaks.failure(client, { method: 'POST', url: '/nonce', data: {} });
    expect(challenged).toMatchObject({ name: 'AuthenticationException', error: 'use_dpop_nonce' });
    for (const path of ['/403', '/500', '/moved', '/slow']) {
      await leaks.failure(client, { method: 'GET', url: path });
    }
  }

  it.each([
    ['a provided EC PEM key', { privateKey: '' }],
    ['a provided RSA JWK', { privateKey: {}, algorithm: 'PS256' }],
    ['a generated key', { algorithm: 'ES256' }],
  ] as const)(
    'through API 200, 401s, nonce challenges, 403, 500 and a timeout: %s',
    async (_n, shape) => {
      leaks.expectAllLevelsCaptured();
      const dpop: DpopOptions =
        'privateKey' in shape
          ? { ...shape, privateKey: typeof shape.privateKey === 'string' ? ecPem : rsaJwk }
          : shape;
      const client = await leaks.client('leak-dpop', options(dpop));

      await drive(client);
      const proofs = api.requests.map(proofOf).filter((p): p is string => !!p);
      const tokens = new Set(api.requests.map(tokenOf).filter((t): t is string => !!t));
      leaks.addSecrets(...proofs, ...tokens);

      // Control: every request carried a proof; the 401 got a second, real DPoP-bound token.
      expect(proofs).toHaveLength(api.requests.length);
      expect(tokens.size).toBeGreaterThanOrEqual(2);
      for (const token of tokens) {
        expect((await oidc.introspect(token)).token_type).toBe('DPoP');
      }
      expect(leaks.logs.text).toMatch(/request headers \{[^}]*"DPoP":"\*\*\*"/);
      leaks.expectHeadersAndBodiesLogged();
      leaks.expectDetects(proofs[0]);
      leaks.expectClean();
    },
  );

  it('through a token endpoint refusal (invalid_client) of a request with a proof', async () => {
    const wrongSecret = 'wr0ng-dpop-client-s3cret';
    leaks.addSecrets(wrongSecret);
    const client = await leaks.client(
      'leak-dpop-wrong',
      options({ privateKey: ecPem }, wrongSecret),
    );

    const refused = await leaks.failure(client, { method: 'GET', url: '/ok' });

    expect(refused).toMatchObject({ name: 'AuthenticationException', error: 'invalid_client' });
    // Control: oidc-provider checks the client before the proof: refused at once.
    expect((await oidc.stats()).tokenRequests).toBe(1);
    expect(api.requests).toHaveLength(0);
    leaks.expectDetects(wrongSecret);
    leaks.expectClean();
  });
});
