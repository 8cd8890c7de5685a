import { BenchSizes } from '../bench-options';
import { BenchServer } from '../servers/bench-server';
import { createAxiosAuthRefreshStack } from '../stacks/axios-auth-refresh.stack';
import { createForgeClientStack } from '../stacks/forge-client.stack';
import { countTokenRequests, TokenCountRow } from './token-count';

/**
 * 401 storm: a cached token is revoked, then `stormCalls` calls at once all get a 401 for it and
 * must each end with a 2xx on a new token.
 */
export async function measureStorm(server: BenchServer, sizes: BenchSizes): Promise<TokenCountRow> {
  const forge = createForgeClientStack({ origin: server.origin, tokenUrl: server.tokenUrl });
  const axiosStack = createAxiosAuthRefreshStack(server.origin, server.tokenUrl);
  const axiosDefaults = createAxiosAuthRefreshStack(server.origin, server.tokenUrl, {
    deduplicateRefresh: true,
  });
  await forge.tokenManager.getToken();
  await axiosStack.warmUp();
  await axiosDefaults.warmUp();
  await server.revokeIssuedTokens();
  return {
    forgeClient: await countTokenRequests(server, forge, sizes.stormCalls),
    axiosAuthRefresh: await countTokenRequests(server, axiosStack, sizes.stormCalls),
    axiosAuthRefreshDefaults: await countTokenRequests(server, axiosDefaults, sizes.stormCalls),
  };
}
