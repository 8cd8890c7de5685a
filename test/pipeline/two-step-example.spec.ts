import axios from 'axios';
import { load } from 'js-yaml';
import {
  AuthenticationException,
  BodyTokenFetcher,
  PipelineTokenProvider,
  TokenData,
  TokenFetchPipeline,
} from '../../lib';
import { createPipelineTokenProvider } from '../../lib/pipeline/create-pipeline-token-provider';
import { PipelineAuthOptions } from '../../lib/pipeline/pipeline-auth.options';
import {
  appStepOptions,
  userStepOptions,
  UserTokenFetcher,
  UserTokenFetcherWithDataOverride,
} from './two-step-config';
import {
  APP_CLIENT_ID,
  APP_CLIENT_SECRET,
  startTokenServers,
  TokenServers,
  USER_NAME,
  USER_PASSWORD,
} from '../support/pipeline-token-servers';

describe('the two-step example (app token, then a user token fetched with it)', () => {
  let servers: TokenServers;

  beforeEach(async () => {
    servers = await startTokenServers();
  });
  afterEach(() => servers.close());

  async function callApi(token: TokenData): Promise<number> {
    const response = await axios.get(`${servers.apiUrl}/me`, {
      headers: { Authorization: token.authorizationHeader },
      validateStatus: () => true,
    });
    return response.status;
  }

  it('sends the app token from a subclass overriding buildRequestHeaders', async () => {
    const pipeline = new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher(appStepOptions(servers, 3_600_000)),
        new UserTokenFetcher(userStepOptions(servers, 1_800_000)),
      ],
    });
    const provider = new PipelineTokenProvider(pipeline, {
      serviceName: 'crm',
      refreshFromStep: 'user_token',
    });

    const token = await provider.fetchToken();

    expect(token.accessToken).toMatch(/^user-/);
    expect(servers.userAuthorizations).toEqual([
      `Bearer ${(await pipeline.cachedToken('app_token'))?.accessToken}`,
    ]);
    expect(servers.counts).toMatchObject({ app: 1, user: 1 });
    expect(await callApi(token)).toBe(200);
  });

  it('calls a buildRequestData override for the request body', async () => {
    const { requestData: _dropped, ...withoutData } = userStepOptions(servers);
    const pipeline = new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher(appStepOptions(servers)),
        new UserTokenFetcherWithDataOverride(withoutData),
      ],
    });

    const token = await pipeline.run();

    expect(token.accessToken).toMatch(/^user-/);
    expect(await callApi(token)).toBe(200);
  });

  it('works from plain YAML config with a {{app_token}} placeholder and no subclass', async () => {
    const yaml = `
type: pipeline
refreshFromStep: user_token
steps:
  - name: app_token
    baseUrl: ${servers.appUrl}
    endpoint: /oauth/token
    requestData: { grant_type: client_credentials, client_id: ${APP_CLIENT_ID}, client_secret: ${APP_CLIENT_SECRET} }
    ttl: 3600000
  - name: user_token
    baseUrl: ${servers.userUrl}
    endpoint: /auth/user-token
    contentType: json
    dependsOn: [app_token]
    requestHeaders: { Authorization: 'Bearer {{app_token}}' }
    requestData: { username: ${USER_NAME}, password: ${USER_PASSWORD} }
    tokenField: data.token
    ttl: 1800000
`;
    const provider = createPipelineTokenProvider('crm', load(yaml) as PipelineAuthOptions);

    const token = await provider.fetchToken();

    expect(servers.userAuthorizations).toEqual([
      `Bearer ${(await provider.pipeline.cachedToken('app_token'))?.accessToken}`,
    ]);
    expect(servers.counts).toMatchObject({ app: 1, user: 1 });
    expect(await callApi(token)).toBe(200);
  });

  it('is refused by the user endpoint when the app token is not sent', async () => {
    const pipeline = new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher(appStepOptions(servers)),
        // A plain fetcher neither overrides buildRequestHeaders nor uses a placeholder.
        new BodyTokenFetcher(userStepOptions(servers)),
      ],
    });

    const error = await pipeline.run({ serviceName: 'crm' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ step: 'user_token', status: 401, error: 'invalid_token' });
    expect(servers.userAuthorizations).toEqual(['']);
  });
});
