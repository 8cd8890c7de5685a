import axios from 'axios';
import { ConfigurationException, PipelineTokenProvider, TokenData, TokenManager } from '../../lib';
import { twoStepPipeline } from './two-step-config';
import { startTokenServers, TokenServers } from '../support/pipeline-token-servers';

describe('PipelineTokenProvider', () => {
  let servers: TokenServers;

  beforeEach(async () => {
    servers = await startTokenServers();
  });
  afterEach(() => servers.close());

  function providerFor(refreshFromStep?: string): PipelineTokenProvider {
    return new PipelineTokenProvider(twoStepPipeline(servers), {
      serviceName: 'crm',
      ...(refreshFromStep ? { refreshFromStep } : {}),
    });
  }

  async function apiStatus(token: TokenData): Promise<number> {
    const response = await axios.get(`${servers.apiUrl}/me`, {
      headers: { Authorization: token.authorizationHeader },
      validateStatus: () => true,
    });
    return response.status;
  }

  /** The final token is kept by the client's TokenManager, as the module builds it. */
  function managerFor(refreshFromStep?: string): TokenManager {
    return new TokenManager(providerFor(refreshFromStep), undefined, { refreshSkew: 0 });
  }

  /** What the auth layer does: send the token; on a 401 invalidate it, get a new one, retry once. */
  async function callApi(manager: TokenManager): Promise<number> {
    const token = await manager.getToken();
    const status = await apiStatus(token);
    if (status !== 401) return status;
    await manager.invalidate(token);
    return apiStatus(await manager.getToken());
  }

  it("fetches only the user step again after a 401 with refreshFromStep 'user_token'", async () => {
    const manager = managerFor('user_token');
    expect(await callApi(manager)).toBe(200);
    expect(servers.counts).toMatchObject({ app: 1, user: 1, api: 1 });

    servers.revokeUserTokens();

    expect(await callApi(manager)).toBe(200);
    expect(servers.counts).toEqual({ app: 1, user: 2, api: 3 });
  });

  it('fetches the whole chain again when refreshFromStep is the first step', async () => {
    const manager = managerFor('app_token');
    await callApi(manager);
    servers.revokeUserTokens();

    expect(await callApi(manager)).toBe(200);
    expect(servers.counts).toEqual({ app: 2, user: 2, api: 3 });
  });

  it('refreshes from the final step when refreshFromStep is not given', async () => {
    const manager = managerFor();
    expect(providerFor().refreshFromStep).toBe('user_token');
    await callApi(manager);
    servers.revokeUserTokens();

    expect(await callApi(manager)).toBe(200);
    expect(servers.counts).toEqual({ app: 1, user: 2, api: 3 });
  });

  it('fetches a revoked app token again when the user endpoint refuses it', async () => {
    const manager = managerFor('user_token');
    await callApi(manager);
    servers.revokeAppTokens();
    servers.revokeUserTokens();

    expect(await callApi(manager)).toBe(200);
    // user: the first token, one refused for its app token, one with the new app token.
    expect(servers.counts).toMatchObject({ app: 2, user: 3 });
  });

  it('a refused final token: 50 concurrent 401s fetch the final step once, the app step not', async () => {
    const manager = managerFor();
    const refused = await manager.getToken();
    servers.revokeUserTokens();

    const statuses = await Promise.all(Array.from({ length: 50 }, () => callApi(manager)));

    expect(statuses.every((status) => status === 200)).toBe(true);
    // 50 refused calls and their 50 retries; one new user token, made with the cached app token.
    expect(servers.counts).toEqual({ app: 1, user: 2, api: 100 });
    expect(servers.userAuthorizations[1]).toBe(servers.userAuthorizations[0]);
    expect((await manager.getToken()).sameTokenAs(refused)).toBe(false);
  });

  it('refetches from refreshFromStep once for many requests refused with the same token', async () => {
    const manager = managerFor('app_token');
    const refused = await manager.getToken();

    await Promise.all(Array.from({ length: 50 }, () => manager.invalidate(refused)));
    const tokens = await Promise.all(Array.from({ length: 50 }, () => manager.getToken()));
    await manager.invalidate(refused); // late report of a token already replaced
    await manager.getToken();

    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(tokens[0].sameTokenAs(refused)).toBe(false);
    expect(servers.counts).toMatchObject({ app: 2, user: 2 });
  });

  it('fetches the final step on each fetchToken(); the app step comes from its cache', async () => {
    const provider = providerFor('app_token');
    const first = await provider.fetchToken();

    const second = await provider.fetchToken();

    expect(second.sameTokenAs(first)).toBe(false);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
    expect(await provider.pipeline.cachedToken('user_token')).toBeUndefined();
  });

  it('exposes a cache key that is stable for one configuration', () => {
    const provider = providerFor();
    expect(provider.cacheKey).toMatch(/^pipeline:[0-9a-f]{16}$/);
    expect(providerFor().cacheKey).toBe(provider.cacheKey);
  });

  it('rejects a refreshFromStep that is not a step', () => {
    expect(() => providerFor('session')).toThrow(ConfigurationException);
    expect(() => providerFor('session')).toThrow("refreshFromStep 'session'");
  });
});
