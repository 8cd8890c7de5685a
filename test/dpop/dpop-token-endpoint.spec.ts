import { generateKeyPairSync } from 'node:crypto';
import { AuthenticationException, ClientCredentialsTokenProvider } from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { dpopSessionOf } from '../../lib/auth/dpop-session';
import { thumbprintOf } from '../support/dpop-proof-check';
import { OidcTestServer, POST_CLIENT } from '../support/oidc-server';

describe('DPoP at the token endpoint against oidc-provider with nonces required (RFC 9449)', () => {
  let oidc: OidcTestServer;

  beforeAll(async () => {
    oidc = await OidcTestServer.start({ dpop: true });
  });
  afterAll(() => oidc.close());
  beforeEach(() => oidc.reset());

  const provider = (
    dpop: ConstructorParameters<typeof ClientCredentialsTokenProvider>[0]['dpop'],
  ) =>
    new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: POST_CLIENT.clientId,
      clientSecret: POST_CLIENT.clientSecret,
      serviceName: 'dpop-cc',
      scope: 'api:read',
      dpop,
    });

  it('answers the nonce challenge once and gets a token bound to its key (cnf.jkt)', async () => {
    const cc = provider({ algorithm: 'ES256' });

    const token = await cc.fetchToken();

    expect(token.tokenType).toBe('DPoP');
    // The first proof had no nonce: 400 use_dpop_nonce; the retry with the nonce got the token.
    expect(await oidc.stats()).toMatchObject({ tokenRequests: 2, tokensIssued: 1 });
    const introspection = await oidc.introspect(token.accessToken);
    expect(introspection).toMatchObject({ active: true, token_type: 'DPoP' });
    expect(introspection.cnf?.jkt).toBe(dpopSessionOf(cc)!.thumbprint);
  });

  it('sends the remembered nonce with the next token request: no second challenge', async () => {
    const cc = provider({});
    await cc.fetchToken();
    await oidc.reset();

    const token = await cc.fetchToken();

    expect(token.tokenType).toBe('DPoP');
    expect(await oidc.stats()).toMatchObject({ tokenRequests: 1, tokensIssued: 1 });
  });

  it.each([
    ['EC P-256 PEM, ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ES256'],
    ['EC P-384 PEM, ES384', generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'ES384'],
    ['EC P-521 PEM, ES512', generateKeyPairSync('ec', { namedCurve: 'P-521' }), 'ES512'],
    ['RSA PEM, PS256', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'PS256'],
    ['RSA PEM, RS256', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RS256'],
    ['Ed25519 PEM, EdDSA', generateKeyPairSync('ed25519'), 'EdDSA'],
  ] as const)('binds the token to a provided key: %s', async (_name, pair, algorithm) => {
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const cc = provider({ privateKey: pem, algorithm });

    const token = await cc.fetchToken();

    const jwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
    expect((await oidc.introspect(token.accessToken)).cnf?.jkt).toBe(thumbprintOf(jwk));
  });

  it.each(['ES384', 'ES512'] as const)(
    'binds the token to a key pair it generated for %s',
    async (algorithm) => {
      const cc = provider({ algorithm });

      const token = await cc.fetchToken();

      const session = dpopSessionOf(cc)!;
      expect(session.toJSON()).toMatchObject({ algorithm });
      expect((await oidc.introspect(token.accessToken)).cnf?.jkt).toBe(session.thumbprint);
    },
  );

  it('binds the token to a provided private JWK', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = pair.privateKey.export({ format: 'jwk' });
    const cc = provider({ privateKey: jwk });

    const token = await cc.fetchToken();

    const publicJwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
    expect((await oidc.introspect(token.accessToken)).cnf?.jkt).toBe(thumbprintOf(publicJwk));
  });

  it('two providers with their own generated keys get tokens bound to different keys', async () => {
    const [a, b] = [provider({}), provider({})];
    const [ta, tb] = await Promise.all([a.fetchToken(), b.fetchToken()]);
    const [ia, ib] = await Promise.all([
      oidc.introspect(ta.accessToken),
      oidc.introspect(tb.accessToken),
    ]);
    expect(ia.cnf?.jkt).toBe(dpopSessionOf(a)!.thumbprint);
    expect(ib.cnf?.jkt).toBe(dpopSessionOf(b)!.thumbprint);
    expect(ia.cnf?.jkt).not.toBe(ib.cnf?.jkt);
    // The thumbprint is part of the storage key: one process never takes the other's token.
    expect(a.cacheKey).not.toBe(b.cacheKey);
  });
});

describe('DPoP with a token endpoint that does not bind tokens', () => {
  let endpoint: FakeTokenEndpoint;

  beforeAll(async () => {
    endpoint = await FakeTokenEndpoint.start({ clients: { app: 'app-s3cret-value' } });
  });
  afterAll(() => endpoint.close());

  it('a Bearer token is an AuthenticationException, never used as a bearer token', async () => {
    const cc = new ClientCredentialsTokenProvider({
      tokenUrl: endpoint.tokenUrl,
      clientId: 'app',
      clientSecret: 'app-s3cret-value',
      serviceName: 'dpop-bearer',
      dpop: { algorithm: 'ES256' },
    });

    const error = await cc.fetchToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'dpop-bearer', error: 'invalid_token_type' });
    expect((error as Error).message).toMatch(/issued a Bearer token, but DPoP is configured/);
    // A refusal, not a transient failure: asked once.
    expect(endpoint.tokenRequests).toBe(1);
  });
});
