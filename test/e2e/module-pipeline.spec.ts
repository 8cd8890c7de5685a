import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, InjectForgeClient, RequestForgeModule } from '../../lib';
import { PipelineAuthOptions } from '../../lib/pipeline/pipeline-auth.options';
import {
  APP_CLIENT_ID,
  APP_CLIENT_SECRET,
  startTokenServers,
  TokenServers,
  TokenServersOptions,
  USER_NAME,
  USER_PASSWORD,
} from '../support/pipeline-token-servers';
import { runConcurrently } from './concurrency';

/** The Python docs' two-step example as plain, serializable module options (YAML-ready). */
function twoStepAuth(servers: TokenServers): PipelineAuthOptions {
  return {
    type: 'pipeline',
    steps: [
      {
        name: 'app_token',
        baseUrl: servers.appUrl,
        endpoint: '/oauth/token',
        requestData: {
          grant_type: 'client_credentials',
          client_id: APP_CLIENT_ID,
          client_secret: APP_CLIENT_SECRET,
        },
      },
      {
        name: 'user_token',
        baseUrl: servers.userUrl,
        endpoint: '/auth/user-token',
        contentType: 'json',
        requestHeaders: { Authorization: 'Bearer {{app_token}}' },
        requestData: { username: USER_NAME, password: USER_PASSWORD },
        tokenField: 'data.token',
        dependsOn: ['app_token'],
      },
    ],
    refreshFromStep: 'user_token',
  };
}

@Injectable()
class UserApiService {
  constructor(@InjectForgeClient('svc') private readonly client: ForgeClient) {}

  async whoAmI(): Promise<unknown> {
    return (await lastValueFrom(this.client.get('/me'))).data;
  }
}

describe('token pipelines through RequestForgeModule', () => {
  let servers: TokenServers;
  let moduleRef: TestingModule | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await servers.close();
  });

  async function userApi(options: TokenServersOptions = {}): Promise<UserApiService> {
    servers = await startTokenServers(options);
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: { svc: { baseUrl: servers.apiUrl, auth: twoStepAuth(servers) } },
        }),
      ],
      providers: [UserApiService],
    }).compile();
    return moduleRef.get(UserApiService);
  }

  it('plain config with {{app_token}} — the user token is fetched with the app token and sent to the API', async () => {
    const service = await userApi();

    await expect(service.whoAmI()).resolves.toEqual({ user: USER_NAME });
    await expect(service.whoAmI()).resolves.toEqual({ user: USER_NAME });

    expect(servers.counts).toEqual({ app: 1, user: 1, api: 2 });
    // The user-token endpoint got the app token, which the API itself would refuse.
    expect(servers.userAuthorizations).toEqual([expect.stringMatching(/^Bearer app-1-/)]);
    const withAppToken = await fetch(`${servers.apiUrl}/me`, {
      headers: { authorization: servers.userAuthorizations[0] },
    });
    expect(withAppToken.status).toBe(401);
  });

  it('the API revokes the user token → only the user step is fetched again', async () => {
    const service = await userApi();
    await service.whoAmI();
    expect(servers.counts).toEqual({ app: 1, user: 1, api: 1 });

    servers.revokeUserTokens();
    await expect(service.whoAmI()).resolves.toEqual({ user: USER_NAME });

    // One refused call and its retry at the API; the user step again, the app step not.
    expect(servers.counts).toEqual({ app: 1, user: 2, api: 3 });
    expect(servers.userAuthorizations).toHaveLength(2);
    expect(servers.userAuthorizations[1]).toBe(servers.userAuthorizations[0]);
  });

  it('200 concurrent calls on an empty cache → each step fetched exactly once', async () => {
    // Slow token endpoints, so that all 200 calls are waiting while the steps run.
    const service = await userApi({ delayMs: 100 });

    const { values, errors } = await runConcurrently(200, () => service.whoAmI());

    expect(errors).toEqual([]);
    expect(values).toHaveLength(200);
    expect(servers.counts).toEqual({ app: 1, user: 1, api: 200 });
  });
});
