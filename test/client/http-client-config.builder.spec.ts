import { ConfigurationException, HttpClientConfigBuilder } from '../../lib';

describe('HttpClientConfigBuilder', () => {
  const failure = (build: () => unknown): ConfigurationException => {
    try {
      build();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigurationException);
      return e as ConfigurationException;
    }
    throw new Error('expected a ConfigurationException');
  };

  it('builds an immutable config', () => {
    const config = new HttpClientConfigBuilder('svc')
      .withBaseUrl('https://api.example.test/v1/')
      .withTimeout(5_000)
      .withHeaders({ 'X-A': '1' })
      .withHeader('X-B', '2')
      .withBearerToken('t0ken-value')
      .build();
    expect(config.baseUrl).toBe('https://api.example.test/v1');
    expect(config.timeout).toBe(5_000);
    expect(config.headers).toEqual({ 'X-A': '1', 'X-B': '2' });
    expect(config.auth?.kind).toBe('bearer');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.headers)).toBe(true);
    expect(() => {
      (config as { baseUrl: string }).baseUrl = 'http://evil.test';
    }).toThrow();
  });

  it.each([
    ['missing baseUrl', () => new HttpClientConfigBuilder('svc').build(), 'baseUrl'],
    [
      'relative baseUrl',
      () => new HttpClientConfigBuilder('svc').withBaseUrl('/api').build(),
      'baseUrl',
    ],
    [
      'ftp baseUrl',
      () => new HttpClientConfigBuilder('svc').withBaseUrl('ftp://files.test').build(),
      'baseUrl',
    ],
    [
      'zero timeout',
      () => new HttpClientConfigBuilder('svc').withBaseUrl('http://a.test').withTimeout(0).build(),
      'timeout',
    ],
    [
      'empty bearer token',
      () =>
        new HttpClientConfigBuilder('svc').withBaseUrl('http://a.test').withBearerToken('').build(),
      'auth.token',
    ],
    [
      'bad API key header',
      () =>
        new HttpClientConfigBuilder('svc')
          .withBaseUrl('http://a.test')
          .withApiKey('k', 'Bad Header')
          .build(),
      'auth.headerName',
    ],
    [
      'colon in basic username',
      () =>
        new HttpClientConfigBuilder('svc')
          .withBaseUrl('http://a.test')
          .withBasicAuth('a:b', 'pw')
          .build(),
      'auth.username',
    ],
    [
      'two auth methods',
      () =>
        new HttpClientConfigBuilder('svc')
          .withBaseUrl('http://a.test')
          .withBearerToken('t')
          .withApiKey('k')
          .build(),
      'auth',
    ],
  ])('%s → ConfigurationException naming the field', (_name, build, field) => {
    const error = failure(build);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toContain('Client "svc"');
    expect(error.clientName).toBe('svc');
  });

  it('never puts the rejected credential in the message', () => {
    const error = failure(() =>
      new HttpClientConfigBuilder('svc')
        .withBaseUrl('http://a.test')
        .withBasicAuth('user:name', 'hunter2-secret')
        .build(),
    );
    expect(JSON.stringify(error)).not.toContain('hunter2-secret');
  });
});
