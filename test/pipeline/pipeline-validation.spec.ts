import { inspect } from 'node:util';
import {
  BodyTokenFetcher,
  ConfigurationException,
  HeaderTokenFetcher,
  TokenFetchPipeline,
} from '../../lib';
import { createPipelineTokenProvider } from '../../lib/pipeline/create-pipeline-token-provider';
import { PipelineAuthOptions, PipelineStepConfig } from '../../lib/pipeline/pipeline-auth.options';
import { BodyTokenFetcherOptions } from '../../lib/pipeline/token-fetcher.options';

const BASE = 'http://127.0.0.1:9';

function step(
  name: string,
  dependsOn: string[] = [],
  extra: Partial<BodyTokenFetcherOptions> = {},
) {
  return { name, baseUrl: BASE, endpoint: '/token', dependsOn, ...extra };
}

function pipelineOf(...steps: BodyTokenFetcherOptions[]): TokenFetchPipeline {
  return new TokenFetchPipeline({ steps: steps.map((options) => new BodyTokenFetcher(options)) });
}

function configError(build: () => unknown): ConfigurationException {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationException);
    return error as ConfigurationException;
  }
  throw new Error('expected a ConfigurationException');
}

describe('invalid pipelines fail at construction, naming the step', () => {
  it.each([
    [
      'an unknown dependency',
      [step('app_token'), step('user_token', ['app'])],
      "TokenFetchPipeline: steps[1].dependsOn of 'user_token' names unknown step 'app'",
      'steps[1].dependsOn',
    ],
    [
      'a cycle',
      [step('a', ['c']), step('b', ['a']), step('c', ['b']), step('d', ['c'])],
      "TokenFetchPipeline: steps[0].dependsOn of 'a' makes a cycle: a → c → b → a",
      'steps[0].dependsOn',
    ],
    [
      'a duplicate name',
      [step('app_token'), step('app_token')],
      "TokenFetchPipeline: steps[1].name 'app_token' is defined twice",
      'steps[1].name',
    ],
    [
      'a self dependency',
      [step('app_token'), step('user_token', ['user_token', 'app_token'])],
      "TokenFetchPipeline: steps[1].dependsOn of 'user_token' names the step itself",
      'steps[1].dependsOn',
    ],
    [
      'two final steps',
      [step('app_token'), step('user_token', ['app_token']), step('other', ['app_token'])],
      "TokenFetchPipeline: steps must end in one step, but 'user_token', 'other' are all final",
      'steps',
    ],
  ])('rejects %s', (_case, steps, message, field) => {
    const error = configError(() => pipelineOf(...steps));
    expect(error.message).toContain(message);
    expect(error.field).toBe(field);
  });

  it('rejects an empty pipeline', () => {
    expect(configError(() => pipelineOf()).message).toContain('at least one step');
  });

  it('rejects a placeholder naming a step that is not a dependency', () => {
    const error = configError(
      () =>
        new BodyTokenFetcher(
          step('user_token', [], { requestHeaders: { Authorization: 'Bearer {{app_token}}' } }),
        ),
    );
    expect(error.message).toBe(
      "Pipeline step 'user_token': requestHeaders.Authorization uses {{app_token}} but " +
        "'app_token' is not in dependsOn",
    );
  });

  it.each([
    ['baseUrl', { baseUrl: 'ftp://example.com' }],
    ['endpoint', { endpoint: 'https://elsewhere.example/token' }],
    ['ttl', { ttl: -5 }],
    ['contentType', { contentType: 'xml' }],
    ['requestData.password', { requestData: { password: { value: 'hunter2-secret' } } }],
  ])('rejects a bad %s without echoing its value', (field, extra) => {
    const options = { ...step('user_token'), ...extra } as BodyTokenFetcherOptions;
    const error = configError(() => new BodyTokenFetcher(options));
    expect(error.message).toContain(`Pipeline step 'user_token': ${field} `);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain('hunter2-secret');
  });

  it.each([
    ['a CR/LF', 'HDRSECRET\r\nX-Injected: 1'],
    ['a NUL', 'HDRSECRET\u0000'],
    ['a non-ASCII character', 'HDRSECRET\u00e9'],
    ['a line break after a placeholder', 'Bearer {{app_token}}\nHDRSECRET'],
  ])('refuses a request header value with %s, never quoting it', (_case, value) => {
    const options = step('user_token', ['app_token'], { requestHeaders: { 'X-K': value } });
    const error = configError(() => new BodyTokenFetcher(options));
    expect(error.message).toBe(
      "Pipeline step 'user_token': requestHeaders.X-K must be visible ASCII " +
        '(no line breaks, control or non-ASCII characters)',
    );
    expect(error.field).toBe('requestHeaders.X-K');
    expect([error.message, JSON.stringify(error), inspect(error)].join('\n')).not.toContain(
      'HDRSECRET',
    );
  });

  it('refuses a request header name that is not an HTTP token', () => {
    const options = step('user_token', [], { requestHeaders: { 'X K': 'v' } });
    expect(configError(() => new BodyTokenFetcher(options)).message).toBe(
      "Pipeline step 'user_token': requestHeaders.X K is not a valid HTTP header name",
    );
  });

  it('accepts request header values whose placeholders are filled at run time', () => {
    const headers = { Authorization: 'Bearer {{app_token}}', 'X-Token': '{{ app_token }}' };
    const fetcher = new BodyTokenFetcher(
      step('user_token', ['app_token'], { requestHeaders: headers }),
    );
    expect(fetcher.name).toBe('user_token');
  });

  it('orders steps dependencies first and ends with the one final step', () => {
    const pipeline = new TokenFetchPipeline({
      steps: [
        new HeaderTokenFetcher(step('session', ['user_token'])),
        new BodyTokenFetcher(step('user_token', ['app_token'])),
        new BodyTokenFetcher(step('app_token')),
      ],
    });
    expect(pipeline.stepNames).toEqual(['app_token', 'user_token', 'session']);
    expect(pipeline.finalStep).toBe('session');
    expect(pipeline.dependentsOf('user_token')).toEqual(['user_token', 'session']);
  });

  it('gives different cache keys to steps that differ in a non-secret value', () => {
    const alice = new BodyTokenFetcher(step('user', [], { requestData: { username: 'alice' } }));
    const bob = new BodyTokenFetcher(step('user', [], { requestData: { username: 'bob' } }));
    expect(alice.cacheKey).not.toBe(bob.cacheKey);
  });
});

describe('createPipelineTokenProvider (plain module options)', () => {
  function auth(steps: PipelineStepConfig[], extra: Partial<PipelineAuthOptions> = {}) {
    return { type: 'pipeline' as const, steps, ...extra };
  }

  it('names the client, the step and the field of a dependency error', () => {
    const error = configError(() =>
      createPipelineTokenProvider('crm', auth([step('app_token'), step('user_token', ['app'])])),
    );
    expect(error.message).toBe(
      "Client \"crm\": auth.steps[1].dependsOn of 'user_token' names unknown step 'app'",
    );
    expect(error).toMatchObject({ clientName: 'crm', field: 'auth.steps[1].dependsOn' });
  });

  it('names the client, the step and the field of a bad step option', () => {
    const error = configError(() =>
      createPipelineTokenProvider('crm', auth([step('app_token', [], { ttl: 0 })])),
    );
    expect(error.message).toBe(
      'Client "crm": auth.steps[0].ttl must be a positive number of milliseconds, got 0',
    );
    expect(error.field).toBe('auth.steps[0].ttl');
  });

  it('rejects an unknown option, such as a misspelt dependsOn', () => {
    const misspelt = { ...step('user_token'), dependOn: ['app_token'] } as PipelineStepConfig;
    const error = configError(() => createPipelineTokenProvider('crm', auth([misspelt])));
    expect(error.message).toBe(
      'Client "crm": auth.steps[0].dependOn is not a known option (did you mean "dependsOn"?)',
    );
  });

  it('rejects a tokenHeader on a body step and an unknown refreshFromStep', () => {
    const bodyWithHeader = { ...step('s'), kind: 'body' as const, tokenHeader: 'X-Token' };
    expect(
      configError(() => createPipelineTokenProvider('crm', auth([bodyWithHeader]))).field,
    ).toBe('auth.steps[0].tokenHeader');
    const error = configError(() =>
      createPipelineTokenProvider('crm', auth([step('s')], { refreshFromStep: 'nope' })),
    );
    expect(error.message).toContain('Client "crm": auth.refreshFromStep');
    expect(error.field).toBe('auth.refreshFromStep');
  });

  it('builds header steps from tokenHeader and uses the client name as service name', () => {
    const provider = createPipelineTokenProvider(
      'crm',
      auth([step('app_token'), { ...step('session', ['app_token']), tokenHeader: 'X-Session' }]),
    );
    expect(provider.serviceName).toBe('crm');
    expect(provider.pipeline.finalStep).toBe('session');
  });
});
