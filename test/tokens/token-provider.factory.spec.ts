import {
  ClientCredentialsTokenProvider,
  ConfigurationException,
  PasswordGrantTokenProvider,
} from '../../lib';
import { createTokenProvider, OAuthAuthOptions } from '../../lib/tokens/token-provider.factory';

function configError(work: () => unknown): ConfigurationException {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationException);
    return error as ConfigurationException;
  }
  throw new Error('expected a ConfigurationException');
}

describe('createTokenProvider (plain module options)', () => {
  const clientCredentials: OAuthAuthOptions = {
    type: 'client-credentials',
    tokenUrl: 'https://auth.example.com/token',
    clientId: 'svc-client',
    clientSecret: 'factory-s3cret',
    scope: 'read',
  };

  it('builds a client credentials provider named after the client', () => {
    const provider = createTokenProvider('svc', clientCredentials);
    expect(provider).toBeInstanceOf(ClientCredentialsTokenProvider);
    expect(provider.serviceName).toBe('svc');
    expect(provider.cacheKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it('builds a password grant provider', () => {
    const provider = createTokenProvider('users', {
      type: 'password',
      tokenUrl: 'https://auth.example.com/token',
      clientId: 'app',
      username: 'alice',
      password: 'factory-pa55word',
    });
    expect(provider).toBeInstanceOf(PasswordGrantTokenProvider);
    expect(provider.serviceName).toBe('users');
  });

  it.each([
    [{ tokenUrl: undefined }, 'auth.tokenUrl', 'Client "svc": auth.tokenUrl is required'],
    [{ tokenUrl: 'http://auth.example.com/token' }, 'auth.tokenUrl', 'must use https'],
    [{ tokenUrl: 'not a url' }, 'auth.tokenUrl', 'must be an absolute http(s) URL'],
    [{ clientId: '' }, 'auth.clientId', 'Client "svc": auth.clientId is required'],
    [{ clientSecret: undefined }, 'auth.clientSecret', 'auth.clientSecret is required'],
    [{ authMethod: 'query' }, 'auth.authMethod', "must be 'body' or 'header'"],
    [{ timeout: -1 }, 'auth.timeout', 'positive number'],
    [{ extraParams: { client_secret: 'x' } }, 'auth.extraParams.client_secret', 'cannot be set'],
  ])('names the client and the field for %j', (change, field, message) => {
    const error = configError(() =>
      createTokenProvider('svc', { ...clientCredentials, ...change } as OAuthAuthOptions),
    );
    expect(error.field).toBe(field);
    expect(error.clientName).toBe('svc');
    expect(error.message).toContain(message);
    expect(JSON.stringify(error)).not.toContain('factory-s3cret');
  });

  it('names missing password-grant fields', () => {
    const error = configError(() =>
      createTokenProvider('users', {
        type: 'password',
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'app',
        username: 'alice',
      } as OAuthAuthOptions),
    );
    expect(error.message).toBe('Client "users": auth.password is required');
  });

  it('rejects an unknown auth type', () => {
    const error = configError(() =>
      createTokenProvider('svc', {
        ...clientCredentials,
        type: 'magic',
      } as unknown as OAuthAuthOptions),
    );
    expect(error.field).toBe('auth.type');
  });

  it('names the field when a provider is built directly', () => {
    const error = configError(
      () =>
        new ClientCredentialsTokenProvider({
          tokenUrl: 'https://auth.example.com/token',
          clientId: 'c',
          clientSecret: '',
          serviceName: 's',
        }),
    );
    expect(error.message).toBe('ClientCredentialsTokenProvider: clientSecret is required');
  });
});
