import {
  AuthenticationException,
  BodyTokenFetcher,
  ClientCredentialsTokenProvider,
  ConfigurationException,
  HeaderTokenFetcher,
  HttpClientConfigBuilder,
  TokenData,
  TokenFetchPipeline,
} from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { ScriptedServer } from '../support/scripted-server';
import { bootstrapFailure } from '../support/bootstrap-error';

/** Values that are not visible ASCII, each with the secret-looking text it carries. */
const BAD_VALUES: [string, string][] = [
  ['a CR/LF (header injection)', 'S3CRET-v1\r\nX-Injected: yes'],
  ['a bare LF', 'S3CRET-v1\nX'],
  ['a NUL', 'S3CRET-v1\u0000'],
  ['a Latin-1 letter', 'S3CRET-v1é'],
  ['a non-Latin-1 character', 'S3CRET-v1–€'],
  ['a leading space', ' S3CRET-v1'],
  ['a trailing tab', 'S3CRET-v1\t'],
];

function configurationError(build: () => unknown): ConfigurationException {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationException);
    return error as ConfigurationException;
  }
  throw new Error('expected a ConfigurationException');
}

const builder = () => new HttpClientConfigBuilder('svc').withBaseUrl('https://api.example.test');

describe('header values are visible ASCII, checked at build() and bootstrap', () => {
  const setters: [string, (b: HttpClientConfigBuilder, v: string) => unknown][] = [
    ['auth.token', (b, v) => b.withBearerToken(v)],
    ['auth.key', (b, v) => b.withApiKey(v)],
    ['auth.username', (b, v) => b.withBasicAuth(v, 'password')],
    ['auth.password', (b, v) => b.withBasicAuth('user', v)],
    ['headers.X-Tenant', (b, v) => b.withHeader('X-Tenant', v)],
    ['headers.X-Tenant', (b, v) => b.withHeaders({ 'X-Tenant': v })],
  ];

  describe.each(setters)('%s', (field, set) => {
    it.each(BAD_VALUES)('refuses %s, naming the field and never quoting the value', (_, value) => {
      const error = configurationError(() => {
        const b = builder();
        set(b, value);
        return b.build();
      });
      expect(error.message).toBe(
        `Client "svc": ${field} must be visible ASCII (no line breaks, control or non-ASCII characters)`,
      );
      expect(error.message).not.toContain('S3CRET');
      expect(JSON.stringify(error)).not.toContain('S3CRET');
    });
  });

  it('accepts inner spaces and tabs, and every visible ASCII character', () => {
    const visible = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) =>
      String.fromCharCode(0x21 + i),
    ).join('');
    const config = builder()
      .withHeader('X-Inner', 'a b\tc')
      .withHeader('X-All', visible)
      .withBasicAuth('user', 'pass word')
      .build();
    expect(config.headers['X-All']).toBe(visible);
  });

  it.each([
    ['bearer token', { type: 'bearer', token: 'S3CRET\r\nX-Injected: yes' }, 'auth.token'],
    ['api key', { type: 'api-key', key: 'S3CRET\u2028' }, 'auth.key'],
    ['basic password', { type: 'basic', username: 'u', password: 'S3CRET\n' }, 'auth.password'],
  ])('fails at bootstrap for a module %s, never quoting it', async (_, auth, field) => {
    const error = await bootstrapError({ svc: { baseUrl: 'https://api.example.test', auth } });
    expect(error).toBeInstanceOf(ConfigurationException);
    expect(error.message).toContain(`Client "svc": ${field} must be visible ASCII`);
    expect(error.message).not.toContain('S3CRET');
  });

  it('fails at bootstrap for a module headers value', async () => {
    const error = await bootstrapError({
      svc: { baseUrl: 'https://api.example.test', headers: { 'X-Tenant': 'S3CRET\r\nX: y' } },
    });
    expect(error.message).toContain('Client "svc": headers.X-Tenant must be visible ASCII');
    expect(error.message).not.toContain('S3CRET');
  });
});

describe('token values from a token endpoint or a pipeline step are visible ASCII', () => {
  let server: ScriptedServer;
  useLogCapture();
  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(() => server.close());

  function fromEndpoint(body: object): Promise<TokenData> {
    server.reply({ status: 200, body });
    return new ClientCredentialsTokenProvider({
      tokenUrl: server.url('/token'),
      clientId: 'header-client',
      clientSecret: 'header-s3cret',
      serviceName: 'orders',
    }).fetchToken();
  }

  async function refused(fetching: Promise<unknown>): Promise<AuthenticationException> {
    const error = await fetching.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect((error as AuthenticationException).serviceName).toBe('orders');
    expect((error as Error).message).not.toContain('S3CRET');
    return error as AuthenticationException;
  }

  it.each(BAD_VALUES)('refuses an access_token with %s', async (_, value) => {
    const error = await refused(fromEndpoint({ access_token: value, token_type: 'Bearer' }));
    expect(error.message).toMatch(/access_token is not a valid header value/);
  });

  it.each([
    ['a space', 'Bearer x'],
    ['a double quote', 'Be"arer'],
    ['a backslash', 'Be\\arer'],
    ['a CR/LF', 'Bearer\r\nX-Injected:'],
    ['a non-ASCII letter', 'Bëarer'],
  ])('refuses a token_type with %s (RFC 6749 type name)', async (_, tokenType) => {
    const error = await refused(fromEndpoint({ access_token: 'tok', token_type: tokenType }));
    expect(error.message).toMatch(/token_type is not an RFC 6749 token type name/);
  });

  it('still normalizes token_type "bearer" to "Bearer", and keeps another type as sent', async () => {
    const bearer = await fromEndpoint({ access_token: 'tok', token_type: 'bearer' });
    expect(bearer.authorizationHeader).toBe('Bearer tok');
    const dpop = await fromEndpoint({ access_token: 'tok', token_type: 'DPoP' });
    expect(dpop.authorizationHeader).toBe('DPoP tok');
  });

  it('refuses a body step token that is not visible ASCII', async () => {
    server.reply({ status: 200, body: { access_token: 'S3CRET\r\nX-Injected: yes' } });
    const step = new BodyTokenFetcher({ name: 'session', baseUrl: server.url(), endpoint: '/s' });
    const error = await refused(
      new TokenFetchPipeline({ steps: [step] }).run({ serviceName: 'orders' }),
    );
    expect(error.message).toMatch(/token is not a valid header value/);
    expect(error.step).toBe('session');
  });

  it('refuses a step token type that is not a type name', async () => {
    server.reply({ status: 200, body: { access_token: 'tok', kind: 'Bearer x' } });
    const step = new BodyTokenFetcher({
      name: 'session',
      baseUrl: server.url(),
      endpoint: '/s',
      tokenTypeField: 'kind',
    });
    const error = await refused(
      new TokenFetchPipeline({ steps: [step] }).run({ serviceName: 'orders' }),
    );
    expect(error.message).toMatch(/token type is not an RFC 6749 token type name/);
  });

  it("refuses a HeaderTokenFetcher's header token with a non-ASCII character", async () => {
    server.reply((_req, res) => {
      // Latin-1 passes Node's header check; it is still not visible ASCII.
      res.setHeader('X-Session', 'S3CRET-\u00e9');
      res.end();
    });
    const step = new HeaderTokenFetcher({
      name: 'session',
      baseUrl: server.url(),
      endpoint: '/s',
      tokenHeader: 'X-Session',
    });
    const error = await refused(
      new TokenFetchPipeline({ steps: [step] }).run({ serviceName: 'orders' }),
    );
    expect(error.message).toMatch(/token is not a valid header value/);
  });
});

const bootstrapError = (clients: Record<string, unknown>) => bootstrapFailure({ clients });
