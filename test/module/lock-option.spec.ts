import { Test } from '@nestjs/testing';
import { ConfigurationException, RequestForgeModule, RequestForgeModuleOptions } from '../../lib';
import { bootstrapFailure } from '../support/bootstrap-error';

const tokenAuth = {
  type: 'client-credentials',
  tokenUrl: 'http://127.0.0.1:1/token',
  clientId: 'id',
  clientSecret: 'secret',
};

async function bootstrap(clientOptions: Record<string, unknown>): Promise<void> {
  const options = { clients: { svc: { baseUrl: 'http://a.test', ...clientOptions } } };
  const ref = await Test.createTestingModule({
    imports: [RequestForgeModule.forRoot(options as unknown as RequestForgeModuleOptions)],
  }).compile();
  await ref.close();
}

const bootstrapError = (clientOptions: Record<string, unknown>) =>
  bootstrapFailure({ clients: { svc: { baseUrl: 'http://a.test', ...clientOptions } } });

describe("a client's lock option is checked at bootstrap", () => {
  it.each([
    ['a string', 'redis', 'lock'],
    ['null', null, 'lock'],
    ['another type', { type: 'memcached', url: 'redis://127.0.0.1:6379' }, 'lock.type'],
    ['no url', { type: 'redis' }, 'lock.url'],
    ['an http url', { type: 'redis', url: 'http://127.0.0.1:6379' }, 'lock.url'],
    ['not a url', { type: 'redis', url: 'redis//nowhere' }, 'lock.url'],
    [
      'a numeric keyPrefix',
      { type: 'redis', url: 'redis://127.0.0.1:6379', keyPrefix: 1 },
      'lock.keyPrefix',
    ],
    ['an unknown field', { type: 'redis', url: 'redis://127.0.0.1:6379', ttl: 5 }, 'lock.ttl'],
  ])('%s fails, naming the client and the field', async (_name, lock, field) => {
    const error = await bootstrapError({ auth: tokenAuth, lock });

    expect(error).toBeInstanceOf(ConfigurationException);
    expect(error).toMatchObject({ clientName: 'svc', field });
    expect(error.message).toContain('Client "svc"');
    expect(error.message).toContain(field);
  });

  it('a client without token auth is checked too', async () => {
    const error = await bootstrapError({
      auth: { type: 'bearer', token: 't' },
      lock: { type: 'x' },
    });

    expect(error).toMatchObject({ clientName: 'svc', field: 'lock.type' });
  });

  it('a password in a rejected URL is not quoted', async () => {
    const error = await bootstrapError({
      auth: tokenAuth,
      lock: { type: 'redis', url: 'http://user:hunter2-secret@127.0.0.1:6379' },
    });

    expect(error.message).not.toContain('hunter2-secret');
    expect(JSON.stringify(error)).not.toContain('hunter2-secret');
  });

  it('a valid { type: redis, url } bootstraps without connecting (Redis is only used on a fetch)', async () => {
    await expect(
      bootstrap({ auth: tokenAuth, lock: { type: 'redis', url: 'redis://127.0.0.1:1' } }),
    ).resolves.toBeUndefined();
  });
});
