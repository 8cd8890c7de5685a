import { Test, TestingModule } from '@nestjs/testing';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ForgeClient,
  getForgeClientToken,
  RequestForgeModule,
} from '../../lib';
import { OidcClient, OidcTestServer } from '../support/oidc-server';

/** The public half as a registered JWK (RFC 7517), with its kid. */
function jwkOf(key: KeyObject, kid: string) {
  return { ...key.export({ format: 'jwk' }), kid, use: 'sig' };
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;

const JWT_SECRET_CLIENT: OidcClient = {
  clientId: 'jwt-secret-client',
  // HS256 wants a key of at least 256 bits (RFC 7518 §3.2).
  clientSecret: 'client-secret-jwt-s3cret-0123456789abcdef',
  authMethod: 'client_secret_jwt',
  metadata: { token_endpoint_auth_signing_alg: 'HS256' },
};
const RSA_CLIENT: OidcClient = {
  clientId: 'rsa-client',
  authMethod: 'private_key_jwt',
  metadata: { jwks: { keys: [jwkOf(rsa.publicKey, 'rsa-1')] } },
};
const PS256_CLIENT: OidcClient = {
  clientId: 'ps256-client',
  authMethod: 'private_key_jwt',
  metadata: {
    jwks: { keys: [jwkOf(rsa.publicKey, 'rsa-1')] },
    token_endpoint_auth_signing_alg: 'PS256',
  },
};
const EC_CLIENT: OidcClient = {
  clientId: 'ec-client',
  authMethod: 'private_key_jwt',
  metadata: { jwks: { keys: [jwkOf(ec.publicKey, 'ec-1')] } },
};
/** Registered for the larger curves' algorithms, which oidc-provider enables on request. */
const P384_CLIENT: OidcClient = {
  clientId: 'p384-client',
  authMethod: 'private_key_jwt',
  metadata: { jwks: { keys: [jwkOf(p384.publicKey, 'p384-1')] } },
};
const P521_CLIENT: OidcClient = {
  clientId: 'p521-client',
  authMethod: 'private_key_jwt',
  metadata: { jwks: { keys: [jwkOf(p521.publicKey, 'p521-1')] } },
};
const ED_CLIENT: OidcClient = {
  clientId: 'ed-client',
  authMethod: 'private_key_jwt',
  metadata: { jwks: { keys: [jwkOf(ed.publicKey, 'ed-1')] } },
};

describe('client assertions against oidc-provider (RFC 7523 §2.2, OIDC Core §9)', () => {
  let oidc: OidcTestServer;

  beforeAll(async () => {
    oidc = await OidcTestServer.start({
      clients: [
        JWT_SECRET_CLIENT,
        RSA_CLIENT,
        PS256_CLIENT,
        EC_CLIENT,
        P384_CLIENT,
        P521_CLIENT,
        ED_CLIENT,
      ],
    });
  });
  afterAll(() => oidc.close());
  beforeEach(() => oidc.reset());

  async function expectActiveToken(provider: ClientCredentialsTokenProvider, clientId: string) {
    const token = await provider.fetchToken();
    expect(await oidc.introspect(token.accessToken)).toMatchObject({
      active: true,
      client_id: clientId,
    });
  }

  it('client_secret_jwt: an HS256 assertion over the client secret gets a token', async () => {
    const provider = new ClientCredentialsTokenProvider({
      ...oidc.clientCredentialsAuth(JWT_SECRET_CLIENT),
      serviceName: 'jwt-secret',
    });
    await expectActiveToken(provider, JWT_SECRET_CLIENT.clientId);
  });

  it('private_key_jwt with an RSA key in PEM: RS256 implied, the kid sent', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: RSA_CLIENT.clientId,
      serviceName: 'rsa',
      authMethod: 'private_key_jwt',
      privateKey: pem(rsa.privateKey),
      keyId: 'rsa-1',
    });
    await expectActiveToken(provider, RSA_CLIENT.clientId);
  });

  it('private_key_jwt with an RSA key and PS256 for a client registered for PS256', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: PS256_CLIENT.clientId,
      serviceName: 'ps256',
      authMethod: 'private_key_jwt',
      privateKey: pem(rsa.privateKey),
      algorithm: 'PS256',
    });
    await expectActiveToken(provider, PS256_CLIENT.clientId);
  });

  it('private_key_jwt with an EC P-256 key given as a JWK: ES256 implied', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: EC_CLIENT.clientId,
      serviceName: 'ec',
      authMethod: 'private_key_jwt',
      privateKey: ec.privateKey.export({ format: 'jwk' }),
      keyId: 'ec-1',
    });
    await expectActiveToken(provider, EC_CLIENT.clientId);
  });

  it.each([
    ['P-384', 'ES384', P384_CLIENT, p384.privateKey],
    ['P-521', 'ES512', P521_CLIENT, p521.privateKey],
  ] as const)(
    'private_key_jwt with an EC %s key: %s implied',
    async (_curve, _algorithm, client, privateKey) => {
      const provider = new ClientCredentialsTokenProvider({
        tokenUrl: oidc.tokenUrl,
        clientId: client.clientId,
        serviceName: client.clientId,
        authMethod: 'private_key_jwt',
        privateKey: pem(privateKey),
      });
      await expectActiveToken(provider, client.clientId);
    },
  );

  it('private_key_jwt with an Ed25519 key: EdDSA implied', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: ED_CLIENT.clientId,
      serviceName: 'ed',
      authMethod: 'private_key_jwt',
      privateKey: pem(ed.privateKey),
    });
    await expectActiveToken(provider, ED_CLIENT.clientId);
  });

  it('the issuer as assertionAudience is accepted like the token endpoint URL', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: EC_CLIENT.clientId,
      serviceName: 'ec-issuer-aud',
      authMethod: 'private_key_jwt',
      privateKey: pem(ec.privateKey),
      assertionAudience: oidc.issuer,
    });
    await expectActiveToken(provider, EC_CLIENT.clientId);
  });

  it('every fetch signs a new assertion: the server, which refuses a replayed jti, issues each time', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: RSA_CLIENT.clientId,
      serviceName: 'rsa-twice',
      authMethod: 'private_key_jwt',
      privateKey: pem(rsa.privateKey),
    });
    const first = await provider.fetchToken();
    const second = await provider.fetchToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await oidc.stats()).tokenRequests).toBe(2);
  });

  it('an assertion signed with a key the server does not know is invalid_client, not retried', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: RSA_CLIENT.clientId,
      serviceName: 'stranger',
      authMethod: 'private_key_jwt',
      privateKey: pem(stranger.privateKey),
    });
    const error = await provider.fetchToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401, attempts: 1 });
    expect((await oidc.stats()).tokenRequests).toBe(1);
  });

  describe('module clients with each assertion method', () => {
    let moduleRef: TestingModule;

    afterEach(() => moduleRef?.close());

    it('client_secret_jwt, private_key_jwt (RSA PEM, EC JWK): each client calls the API with its token', async () => {
      moduleRef = await Test.createTestingModule({
        imports: [
          RequestForgeModule.forRoot({
            clients: {
              'jwt-secret': {
                baseUrl: oidc.issuer,
                auth: {
                  type: 'client-credentials',
                  tokenUrl: oidc.tokenUrl,
                  clientId: JWT_SECRET_CLIENT.clientId,
                  clientSecret: JWT_SECRET_CLIENT.clientSecret,
                  authMethod: 'client_secret_jwt',
                },
              },
              rsa: {
                baseUrl: oidc.issuer,
                auth: {
                  type: 'client-credentials',
                  tokenUrl: oidc.tokenUrl,
                  clientId: RSA_CLIENT.clientId,
                  authMethod: 'private_key_jwt',
                  privateKey: pem(rsa.privateKey),
                  keyId: 'rsa-1',
                },
              },
              ec: {
                baseUrl: oidc.issuer,
                auth: {
                  type: 'client-credentials',
                  tokenUrl: oidc.tokenUrl,
                  clientId: EC_CLIENT.clientId,
                  authMethod: 'private_key_jwt',
                  privateKey: ec.privateKey.export({ format: 'jwk' }),
                  algorithm: 'ES256',
                },
              },
            },
          }),
        ],
      }).compile();
      for (const [name, clientId] of [
        ['jwt-secret', JWT_SECRET_CLIENT.clientId],
        ['rsa', RSA_CLIENT.clientId],
        ['ec', EC_CLIENT.clientId],
      ]) {
        const client = moduleRef.get<ForgeClient>(getForgeClientToken(name));
        const response = await lastValueFrom(client.get('/api/resource'));
        expect(response.data).toEqual({ client_id: clientId, bound: false });
      }
      expect((await oidc.stats()).tokenRequests).toBe(3);
    });
  });
});
