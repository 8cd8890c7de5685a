import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ForgeClient,
  InjectForgeClient,
  RequestForgeModule,
} from '../../lib';
import { PasswordAuthOptions } from '../../lib/tokens/token-provider.factory';
import { ALICE, PASSWORD_CLIENT, PasswordGrantTestServer } from '../support/password-grant-server';
import { ProtectedApi } from '../support/protected-api';
import { expectNoSecrets, renderings } from '../support/secrets';

@Injectable()
class ProfileService {
  constructor(@InjectForgeClient('profile') private readonly client: ForgeClient) {}

  async me(): Promise<unknown> {
    return (await lastValueFrom(this.client.get('/me'))).data;
  }
}

describe('password grant through RequestForgeModule (issue 3)', () => {
  let authServer: PasswordGrantTestServer;
  let api: ProtectedApi;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    authServer = await PasswordGrantTestServer.start();
    api = await ProtectedApi.start({ validate: (token) => authServer.validate(token) });
  });
  beforeEach(() => {
    authServer.reset();
    api.requests.length = 0;
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(async () => {
    await api.close();
    await authServer.close();
  });

  async function profileService(overrides: Partial<PasswordAuthOptions> = {}) {
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            profile: {
              baseUrl: api.baseUrl,
              auth: {
                type: 'password',
                tokenUrl: authServer.tokenUrl,
                clientId: PASSWORD_CLIENT.clientId,
                clientSecret: PASSWORD_CLIENT.clientSecret,
                username: ALICE.username,
                password: ALICE.password,
                ...overrides,
              },
            },
          },
        }),
      ],
      providers: [ProfileService],
    }).compile();
    return moduleRef.get(ProfileService);
  }

  it('fetches one token with the password grant and renews a refused one with its refresh token', async () => {
    const profile = await profileService();
    await profile.me();
    await profile.me();
    expect(authServer.grantCounts).toEqual({ password: 1 });
    const first = api.requests[0].token!;
    expect(api.requests[1].token).toBe(first);

    authServer.revoke(first);
    api.revoke(first);
    await expect(profile.me()).resolves.toEqual({ ok: true, path: '/me' });

    expect(authServer.grantCounts).toEqual({ password: 1, refresh_token: 1 });
    expect(api.requests.map((r) => r.status)).toEqual([200, 200, 401, 200]);
    expect(api.requests[3].token).not.toBe(first);
  });

  it('a refused refresh token falls back to the password grant', async () => {
    const profile = await profileService();
    await profile.me();
    const first = api.requests[0].token!;
    authServer.refuseRefresh = true;
    authServer.revoke(first);
    api.revoke(first);

    await profile.me();

    expect(authServer.grantCounts).toEqual({ password: 2, refresh_token: 1 });
    expect(api.requests[api.requests.length - 1].status).toBe(200);
  });

  it('a wrong password → AuthenticationException (invalid_grant) that does not show the password', async () => {
    const wrongPassword = 'not-al1ce-pa55word';
    const profile = await profileService({ password: wrongPassword });

    const error = await profile.me().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'profile', error: 'invalid_grant', status: 400 });
    expect(api.requests).toHaveLength(0);
    expectNoSecrets(renderings(error), [wrongPassword, PASSWORD_CLIENT.clientSecret]);
  });
});
