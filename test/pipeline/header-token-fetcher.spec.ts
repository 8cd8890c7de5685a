import { BodyTokenFetcher, HeaderTokenFetcher, TokenFetchPipeline } from '../../lib';
import { appStepOptions, userStepOptions } from './two-step-config';
import { startTokenServers, TokenServers } from '../support/pipeline-token-servers';

describe('HeaderTokenFetcher', () => {
  let servers: TokenServers;

  beforeEach(async () => {
    servers = await startTokenServers({ userExpiresIn: 900 });
  });
  afterEach(() => servers.close());

  function sessionPipeline(tokenHeader?: string): TokenFetchPipeline {
    const { tokenField: _bodyOnly, ...user } = userStepOptions(servers);
    return new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher(appStepOptions(servers)),
        new HeaderTokenFetcher({
          ...user,
          endpoint: '/auth/session',
          requestHeaders: { Authorization: 'Bearer {{app_token}}' },
          ...(tokenHeader ? { tokenHeader } : {}),
        }),
      ],
    });
  }

  it('finds a lower-case response header whatever case it was configured in', async () => {
    const token = await sessionPipeline('X-Session-Token').run();

    expect(token.accessToken).toMatch(/^user-/);
    expect(token.tokenType).toBe('Bearer');
    // The lifetime still comes from the JSON body.
    expect(token.expiresInMs()).toBeGreaterThan(890_000);
  });

  it("reads 'Authorization' by default and moves its Bearer scheme into the token type", async () => {
    const token = await sessionPipeline().run();

    expect(token.accessToken).toMatch(/^user-\d+-\w+$/);
    expect(token.authorizationHeader).toBe(`Bearer ${token.accessToken}`);
  });

  it('fails naming the header when the response lacks it', async () => {
    const error = await sessionPipeline('X-Missing')
      .run({ serviceName: 'crm' })
      .catch((e: unknown) => e);

    expect((error as Error).message).toBe(
      "Pipeline step 'user_token' of service 'crm' failed: the response has no 'X-Missing' header (status 200)",
    );
  });
});
