import { inspect } from 'node:util';
import {
  CircuitBreaker,
  ClientCredentialsTokenProvider,
  HttpClientConfigBuilder,
  TokenManager,
} from '../../lib';
import { configurationError } from '../support/bootstrap-error';

/** Everything an error shows: message, JSON, inspect. */
const shown = (error: Error) =>
  [error.message, JSON.stringify(error), inspect(error, { depth: null })].join('\n');

const TOKEN_URL = 'https://idp.example.test/token';

describe('option messages name the field, say what is wrong and never quote a secret', () => {
  it.each([
    ['that cannot be parsed', 'http://u:S3CRET@exa mple.com/', 'must be an absolute http(s) URL'],
    ['that parses', 'http://u:S3CRET@example.com/', 'must not contain credentials'],
    ['with another scheme', 'ftp://u:S3CRET@example.com/', 'must use http or https, got "ftp:"'],
  ])('refuses a baseUrl with userinfo %s, never quoting it', async (_, baseUrl, problem) => {
    const error = await configurationError({ svc: { baseUrl } });
    expect(error.message).toBe(`Client "svc": baseUrl ${problem}`);
    expect(shown(error)).not.toContain('S3CRET');
    const built = (() => {
      try {
        new HttpClientConfigBuilder('svc').withBaseUrl(baseUrl).build();
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected build() to fail');
    })();
    expect(shown(built)).not.toContain('S3CRET');
  });

  it('never quotes a token URL with userinfo', async () => {
    const error = await configurationError({
      svc: {
        baseUrl: 'https://api.example.test',
        auth: {
          type: 'client-credentials',
          tokenUrl: 'https://u:S3CRET@idp exa.test/token',
          clientId: 'id',
          clientSecret: 'secret',
        },
      },
    });
    expect(error.message).toMatch(/^Client "svc": auth\.tokenUrl /);
    expect(shown(error)).not.toContain('S3CRET');
  });

  it('says a wrong type is a wrong type: clientSecret 12345', async () => {
    const error = await configurationError({
      svc: {
        baseUrl: 'https://api.example.test',
        auth: {
          type: 'client-credentials',
          tokenUrl: TOKEN_URL,
          clientId: 'id',
          clientSecret: 12345,
        },
      },
    });
    expect(error.message).toBe('Client "svc": auth.clientSecret must be a string, got number');
    expect(shown(error)).not.toContain('12345');
  });

  it.each([
    ['bearer', { type: 'bearer', tokn: 'S3CRET' }, 'tokn', 'token'],
    ['api-key', { type: 'api-key', keys: 'S3CRET' }, 'keys', 'key'],
    ['basic', { type: 'basic', username: 'u', pasword: 'S3CRET' }, 'pasword', 'password'],
    [
      'client-credentials',
      { type: 'client-credentials', tokenUrl: TOKEN_URL, clientId: 'id', clientSecrt: 'S3CRET' },
      'clientSecrt',
      'clientSecret',
    ],
  ])('gives the did-you-mean hint for a typo in a %s auth block', async (_, auth, typo, meant) => {
    const error = await configurationError({ svc: { baseUrl: 'https://api.example.test', auth } });
    expect(error.message).toBe(
      `Client "svc": auth.${typo} is not a known option (did you mean "${meant}"?)`,
    );
    expect(shown(error)).not.toContain('S3CRET');
  });

  it.each(['client-credentials', 'password'])(
    'refuses serviceName in a %s auth block: the client name is the service name',
    async (type) => {
      const auth = { type, tokenUrl: TOKEN_URL, clientId: 'id', serviceName: 'other' };
      const error = await configurationError({
        svc: { baseUrl: 'https://api.example.test', auth },
      });
      expect(error.message).toMatch(/^Client "svc": auth\.serviceName is not a known option/);
    },
  );

  it.each([
    [
      { initial: -1 },
      'failureBackoff.initial must be a non-negative number of milliseconds, got -1',
    ],
    [
      { max: 'long' },
      'failureBackoff.max must be a non-negative number of milliseconds, got string',
    ],
    [
      { initial: 5_000, max: 1_000 },
      'failureBackoff.initial must not exceed failureBackoff.max (1000)',
    ],
    [{ inital: 500 }, 'failureBackoff.inital is not a known option (did you mean "initial"?)'],
    [250, 'failureBackoff must be an object, got number'],
  ])('checks the module option failureBackoff %p at bootstrap', async (failureBackoff, message) => {
    const error = await configurationError({
      svc: {
        baseUrl: 'https://api.example.test',
        failureBackoff,
        auth: {
          type: 'client-credentials',
          tokenUrl: TOKEN_URL,
          clientId: 'id',
          clientSecret: 's',
        },
      },
    });
    expect(error.message).toBe(`Client "svc": ${message}`);
  });

  it.each([
    [{ logHeader: true }, 'logging.logHeader is not a known option (did you mean "logHeaders"?)'],
    [{ logBody: 'S3CRET' }, 'logging.logBody must be true or false, got string'],
    [{ logHeaders: 1 }, 'logging.logHeaders must be true or false, got number'],
    [{ sensitiveKeys: 'S3CRET' }, 'logging.sensitiveKeys must be an array of non-empty strings'],
    [true, 'logging must be an object, got boolean'],
  ])('checks the module option logging %p at bootstrap', async (logging, message) => {
    const error = await configurationError({
      svc: { baseUrl: 'https://api.example.test', logging },
    });
    expect(error.message).toBe(`Client "svc": ${message}`);
    expect(shown(error)).not.toContain('S3CRET');
  });

  it('checks withLogging() like the module option logging', () => {
    const builder = new HttpClientConfigBuilder('svc').withBaseUrl('https://api.example.test');
    expect(() =>
      builder.withLogging({ logBdy: true } as unknown as { logBody: boolean }).build(),
    ).toThrow('Client "svc": logging.logBdy is not a known option (did you mean "logBody"?)');
    const config = builder.withLogging({ logHeaders: true }).build();
    expect(config.logging).toEqual({ logHeaders: true, logBody: false, sensitiveKeys: [] });
  });

  it.each(['client-credentials', 'password'])(
    'refuses a %s defaultTokenLifetime under 1 s at bootstrap, not on every call',
    async (type) => {
      const auth = {
        type,
        tokenUrl: TOKEN_URL,
        clientId: 'id',
        clientSecret: 'S3CRET',
        ...(type === 'password' ? { username: 'u', password: 'S3CRET' } : {}),
        defaultTokenLifetime: 500,
      };
      const error = await configurationError({
        svc: { baseUrl: 'https://api.example.test', auth },
      });
      expect(error.message).toBe(
        'Client "svc": auth.defaultTokenLifetime must be a number of milliseconds >= 1000, got 500',
      );
      expect(shown(error)).not.toContain('S3CRET');
    },
  );

  it.each(['#frag', '#'])('refuses a token URL with a fragment (%s) at bootstrap', async (hash) => {
    const error = await configurationError({
      svc: {
        baseUrl: 'https://api.example.test',
        auth: {
          type: 'client-credentials',
          tokenUrl: `${TOKEN_URL}?tenant=x${hash}`,
          clientId: 'id',
          clientSecret: 'S3CRET',
        },
      },
    });
    expect(error.message).toBe('Client "svc": auth.tokenUrl must not have a fragment');
  });

  it('refuses a CircuitBreaker instance as circuitBreaker: each client builds its own', async () => {
    const error = await configurationError({
      svc: {
        baseUrl: 'https://api.example.test',
        circuitBreaker: new CircuitBreaker({ failureThreshold: 2 }),
      },
    });
    expect(error.message).toBe(
      'Client "svc": circuitBreaker takes options, not a CircuitBreaker: each client builds its own from them',
    );
  });

  it('refuses a defaultTokenLifetime under 1 s on a provider built in code', () => {
    const options = {
      tokenUrl: TOKEN_URL,
      clientId: 'id',
      clientSecret: 'S3CRET',
      serviceName: 'svc',
      defaultTokenLifetime: 999,
    };
    expect(() => new ClientCredentialsTokenProvider(options)).toThrow(
      'ClientCredentialsTokenProvider: defaultTokenLifetime must be a number of milliseconds >= 1000, got 999',
    );
    expect(
      new ClientCredentialsTokenProvider({ ...options, defaultTokenLifetime: 1_000 }),
    ).toBeInstanceOf(ClientCredentialsTokenProvider);
  });

  it('refuses a CR/LF in a pipeline step request header at bootstrap, never quoting it', async () => {
    const steps = [
      {
        name: 'login',
        baseUrl: 'https://idp.example.test',
        endpoint: '/login',
        requestHeaders: { 'X-K': 'HDRSECRET\r\nX-Injected: 1' },
      },
    ];
    const error = await configurationError({
      svc: { baseUrl: 'https://api.example.test', auth: { type: 'pipeline', steps } },
    });
    expect(error.message).toBe(
      'Client "svc": auth.steps[0].requestHeaders.X-K must be visible ASCII ' +
        '(no line breaks, control or non-ASCII characters)',
    );
    expect(shown(error)).not.toContain('HDRSECRET');
  });

  it('checks failureBackoff, clock and defaultTokenLifetime on a TokenManager built in code', () => {
    const provider = { serviceName: 'svc', fetchToken: async () => never() };
    expect(() => new TokenManager(provider, undefined, { failureBackoff: { max: -5 } })).toThrow(
      'TokenManager: failureBackoff.max must be a non-negative number of milliseconds, got -5',
    );
    expect(
      () => new TokenManager(provider, undefined, { clock: {} as unknown as { now(): number } }),
    ).toThrow('TokenManager: clock.now must be a function, got undefined');
    expect(() => new TokenManager(provider, undefined, { defaultTokenLifetime: 500 })).toThrow(
      'TokenManager: defaultTokenLifetime must be a number of milliseconds >= 1000, got 500',
    );
    expect(new TokenManager(provider, undefined, { defaultTokenLifetime: 1_000 })).toBeInstanceOf(
      TokenManager,
    );
  });
});

function never(): never {
  throw new Error('not called');
}
