import { Test } from '@nestjs/testing';
import { RequestForgeModule } from '../../lib';
import { PipelineStepConfig } from '../../lib/pipeline/pipeline-auth.options';
import { configurationError } from '../support/bootstrap-error';

/** The error `Test.createTestingModule(...).compile()` fails with for these client options. */
const bootstrapError = (svc: unknown) => configurationError({ svc });

const baseUrl = 'http://127.0.0.1:1';
const tokenUrl = 'http://127.0.0.1:1/token';
const clientCredentials = {
  type: 'client-credentials',
  tokenUrl,
  clientId: 'svc-client',
  clientSecret: 'svc-s3cret-value',
};
const password = {
  type: 'password',
  tokenUrl,
  clientId: 'svc-client',
  username: 'alice',
  password: 'alice-pa55word',
};

describe('bad OAuth options fail at bootstrap, naming the client and the field', () => {
  it.each([
    ['no tokenUrl', { ...clientCredentials, tokenUrl: undefined }, 'auth.tokenUrl'],
    [
      'plain http to a remote host',
      { ...clientCredentials, tokenUrl: 'http://idp.example.com/token' },
      'auth.tokenUrl',
    ],
    ['no clientId', { ...clientCredentials, clientId: '' }, 'auth.clientId'],
    ['no clientSecret', { ...clientCredentials, clientSecret: undefined }, 'auth.clientSecret'],
    ['unknown authMethod', { ...clientCredentials, authMethod: 'jwt' }, 'auth.authMethod'],
    ['password grant without username', { ...password, username: undefined }, 'auth.username'],
    ['password grant without password', { ...password, password: '' }, 'auth.password'],
  ])('%s', async (_case, auth, field) => {
    const error = await bootstrapError({ baseUrl, auth });
    expect(error.message).toContain('"svc"');
    expect(error.message).toContain(field);
    expect(error.message).not.toContain('svc-s3cret-value');
    expect(error.message).not.toContain('alice-pa55word');
  });

  it.each([
    ['a negative refreshSkew', { refreshSkew: -1 }, 'refreshSkew'],
    ['an unknown authRetry type', { authRetry: { type: 'linear' } }, 'authRetry'],
  ])('%s', async (_case, extra, field) => {
    const error = await bootstrapError({ baseUrl, auth: clientCredentials, ...extra });
    expect(error.message).toContain('"svc"');
    expect(error.message).toContain(field);
  });

  it('control: the same options with a loopback token URL bootstrap fine', async () => {
    const ref = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: { svc: { baseUrl, auth: { ...clientCredentials, type: 'client-credentials' } } },
        }),
      ],
    }).compile();
    await ref.close();
  });
});

function step(name: string, dependsOn: string[] = []): PipelineStepConfig {
  return {
    name,
    baseUrl: 'http://127.0.0.1:1',
    endpoint: `/${name}`,
    ...(dependsOn.length ? { dependsOn } : {}),
  };
}

describe('invalid pipelines fail at module bootstrap, naming the client and the step', () => {
  it.each([
    ['unknown dependency', [step('app_token'), step('user_token', ['app'])], /user_token.*app/],
    [
      'cycle',
      [step('app_token', ['user_token']), step('user_token', ['app_token'])],
      /(app_token|user_token)/,
    ],
    ['duplicate name', [step('app_token'), step('app_token')], /app_token/],
    ['self dependency', [step('user_token', ['user_token'])], /user_token/],
  ])('%s', async (_case, steps, names) => {
    const error = await bootstrapError({ baseUrl, auth: { type: 'pipeline', steps } });
    expect(error.message).toContain('svc');
    expect(error.message).toMatch(names);
  });

  it('control: a valid pipeline bootstraps fine', async () => {
    const ref = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            svc: {
              baseUrl,
              auth: {
                type: 'pipeline',
                steps: [step('app_token'), step('user_token', ['app_token'])],
              },
            },
          },
        }),
      ],
    }).compile();
    await ref.close();
  });
});
