import axios from 'axios';
import { ConfigurationException, PipelineTokenProvider, TokenData } from '../../lib';
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

  /** What the auth layer does: send the token; on a 401 report it, get a new one, retry once. */
  async function callApi(provider: PipelineTokenProvider): Promise<number> {
    const token = await provider.fetchToken();
    const status = await apiStatus(token);
    if (status !== 401) return status;
    await provider.onUnauthorized(token);
    return apiStatus(await provider.fetchToken());
  }

  it("fetches only the user step again after a 401 with refreshFromStep 'user_token'", async () => {
    const provider = providerFor('user_token');
    expect(await callApi(provider)).toBe(200);
    expect(servers.counts).toMatchObject({ app: 1, user: 1, api: 1 });

    servers.revokeUserTokens();

    expect(await callApi(provider)).toBe(200);
    expect(servers.counts).toMatchObject({ app: 1, user: 2, api: 3 });
  });

  it('fetches the whole chain again when refreshFromStep is the first step', async () => {
    const provider = providerFor('app_token');
    await callApi(provider);
    servers.revokeUserTokens();

    expect(await callApi(provider)).toBe(200);
    expect(servers.counts).toMatchObject({ app: 2, user: 2 });
  });

  it('refreshes from the final step when refreshFromStep is not given', async () => {
    const provider = providerFor();
    expect(provider.refreshFromStep).toBe('user_token');
    await callApi(provider);
    servers.revokeUserTokens();

    expect(await callApi(provider)).toBe(200);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
  });

  it('fetches a revoked app token again when the user endpoint refuses it', async () => {
    const provider = providerFor('user_token');
    await callApi(provider);
    servers.revokeAppTokens();
    servers.revokeUserTokens();

    expect(await callApi(provider)).toBe(200);
    // user: the first token, one refused for its app token, one with the new app token.
    expect(servers.counts).toMatchObject({ app: 2, user: 3 });
  });

  it('refetches once for many requests refused with the same token', async () => {
    const provider = providerFor('user_token');
    const refused = await provider.fetchToken();

    await Promise.all(Array.from({ length: 50 }, () => provider.onUnauthorized(refused)));
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.fetchToken()));
    await provider.onUnauthorized(refused); // late report of a token already replaced
    await provider.fetchToken();

    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(tokens[0].sameTokenAs(refused)).toBe(false);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
  });

  it('renews an expiring token by fetching only the final step', async () => {
    const provider = providerFor('app_token');
    const current = await provider.fetchToken();

    const renewed = await provider.refreshToken(current);

    expect(renewed.sameTokenAs(current)).toBe(false);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
    // A second caller holding the old token gets the renewed one, without a fetch.
    expect((await provider.refreshToken(current)).sameTokenAs(renewed)).toBe(true);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
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
