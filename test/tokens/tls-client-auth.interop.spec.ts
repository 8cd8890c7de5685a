import { Test, TestingModule } from '@nestjs/testing';
import { createHash, X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ForgeClient,
  getForgeClientToken,
  getTokenManagerToken,
  HttpClientConfigBuilder,
  RequestForgeModule,
  TokenManager,
} from '../../lib';
import { OidcClient, OidcTestServer } from '../support/oidc-server';
import {
  createSelfSignedClient,
  createTestPki,
  IssuedCertificate,
  TestPki,
} from '../support/test-pki';

const SUBJECT = 'CN=mtls-client,O=Request Forge Tests';

/** RFC 8705 §3.1: base64url SHA-256 of the certificate's DER. */
function x5tS256(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');
}

/** GET with `Authorization: Bearer`, over TLS trusting `ca`, with or without a certificate. */
function getWithToken(
  url: string,
  token: string,
  ca: string,
  certificate?: IssuedCertificate,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, {
      headers: { authorization: `Bearer ${token}` },
      ca,
      ...(certificate ?? {}),
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.end();
  });
}

describe('tls_client_auth against oidc-provider over mutual TLS (RFC 8705)', () => {
  let pki: TestPki;
  let oidc: OidcTestServer;
  let mtlsClient: OidcClient;
  let selfSigned: IssuedCertificate;
  let selfSignedClient: OidcClient;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    pki = await createTestPki(SUBJECT);
    const registered = await createSelfSignedClient();
    selfSigned = registered;
    selfSignedClient = {
      clientId: 'self-signed-client',
      authMethod: 'self_signed_tls_client_auth',
      metadata: {
        jwks: { keys: [registered.jwk] },
        tls_client_certificate_bound_access_tokens: true,
      },
    };
    mtlsClient = {
      clientId: 'mtls-client',
      authMethod: 'tls_client_auth',
      metadata: {
        tls_client_auth_subject_dn: SUBJECT,
        tls_client_certificate_bound_access_tokens: true,
      },
    };
    oidc = await OidcTestServer.start({
      clients: [mtlsClient, selfSignedClient],
      tls: { ...pki.server, ca: pki.ca },
    });
  });
  afterAll(() => oidc.close());
  beforeEach(() => oidc.reset());
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  const certificate = () => ({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca });

  it('authenticates with its certificate and gets a token bound to it (cnf x5t#S256)', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: mtlsClient.clientId,
      serviceName: 'mtls',
      authMethod: 'tls_client_auth',
      clientCertificate: certificate(),
    });
    const token = await provider.fetchToken();
    const introspection = await oidc.introspect(token.accessToken);
    expect(introspection).toMatchObject({ active: true, client_id: mtlsClient.clientId });
    expect(introspection.cnf?.['x5t#S256']).toBe(x5tS256(pki.client.cert));

    // The binding is enforced: the API refuses the token without the certificate, or with
    // another certificate of the same CA, and accepts it with the right one.
    expect(await getWithToken(oidc.resourceUrl, token.accessToken, pki.ca)).toBe(401);
    expect(await getWithToken(oidc.resourceUrl, token.accessToken, pki.ca, pki.otherClient)).toBe(
      401,
    );
    expect(await getWithToken(oidc.resourceUrl, token.accessToken, pki.ca, pki.client)).toBe(200);
  });

  it('self_signed_tls_client_auth: the registered self-signed certificate gets a token bound to it', async () => {
    const provider = (certificate: IssuedCertificate) =>
      new ClientCredentialsTokenProvider({
        tokenUrl: oidc.tokenUrl,
        clientId: selfSignedClient.clientId,
        serviceName: 'self-signed',
        authMethod: 'self_signed_tls_client_auth',
        clientCertificate: { cert: certificate.cert, key: certificate.key, ca: pki.ca },
      });
    const token = await provider(selfSigned).fetchToken();
    const introspection = await oidc.introspect(token.accessToken);
    expect(introspection).toMatchObject({ active: true, client_id: selfSignedClient.clientId });
    expect(introspection.cnf?.['x5t#S256']).toBe(x5tS256(selfSigned.cert));

    // A CA-issued certificate is not the registered one: refused, not retried.
    const refused = await provider(pki.client)
      .fetchToken()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthenticationException);
    expect(refused).toMatchObject({ error: 'invalid_client', attempts: 1 });
  });

  it('a certificate with a subject other than the registered one is invalid_client', async () => {
    const provider = new ClientCredentialsTokenProvider({
      tokenUrl: oidc.tokenUrl,
      clientId: mtlsClient.clientId,
      serviceName: 'mtls-other',
      authMethod: 'tls_client_auth',
      clientCertificate: { cert: pki.otherClient.cert, key: pki.otherClient.key, ca: pki.ca },
    });
    const error = await provider.fetchToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401, attempts: 1 });
  });

  it('a builder client with withClientCertificate sends the bound token over its certificate', async () => {
    const manager = new TokenManager(
      new ClientCredentialsTokenProvider({
        tokenUrl: oidc.tokenUrl,
        clientId: mtlsClient.clientId,
        serviceName: 'mtls-builder',
        authMethod: 'tls_client_auth',
        clientCertificate: certificate(),
      }),
    );
    const withCertificate = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl(oidc.issuer)
        .withTokenAuth(manager)
        .withClientCertificate(certificate())
        .build(),
    );
    // Another certificate of the same CA: the bound token is refused with it.
    const otherCertificate = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl(oidc.issuer)
        .withTokenAuth(manager)
        .withClientCertificate({ cert: pki.otherClient.cert, key: pki.otherClient.key, ca: pki.ca })
        .build(),
    );
    try {
      const response = await lastValueFrom(withCertificate.get('/api/resource'));
      expect(response.data).toEqual({ client_id: mtlsClient.clientId, bound: true });
      const refused = await lastValueFrom(otherCertificate.get('/api/resource')).catch(
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({ status: 401 });
    } finally {
      await withCertificate.close();
      await otherCertificate.close();
    }
  });

  it.each(['axios', 'undici'] as const)(
    'a module client (transport %s) presents the certificate to the API, which accepts the bound token',
    async (transport) => {
      moduleRef = await Test.createTestingModule({
        imports: [
          RequestForgeModule.forRoot({
            clients: {
              bank: {
                baseUrl: oidc.issuer,
                transport,
                auth: {
                  type: 'client-credentials',
                  tokenUrl: oidc.tokenUrl,
                  clientId: mtlsClient.clientId,
                  authMethod: 'tls_client_auth',
                  clientCertificate: certificate(),
                },
              },
            },
          }),
        ],
      }).compile();
      const client = moduleRef.get<ForgeClient>(getForgeClientToken('bank'));
      const first = await lastValueFrom(client.get('/api/resource'));
      const second = await lastValueFrom(client.get('/api/resource'));
      expect(first.data).toEqual({ client_id: mtlsClient.clientId, bound: true });
      expect(second.status).toBe(200);
      expect((await oidc.stats()).tokenRequests).toBe(1);
      const manager = moduleRef.get<TokenManager>(getTokenManagerToken('bank'));
      const token = await manager.getToken();
      expect((await oidc.introspect(token.accessToken)).cnf?.['x5t#S256']).toBe(
        x5tS256(pki.client.cert),
      );
    },
  );
});
