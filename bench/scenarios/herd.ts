import { BenchSizes } from '../bench-options';
import { BenchServer } from '../servers/bench-server';
import { createAxiosAuthRefreshStack } from '../stacks/axios-auth-refresh.stack';
import { createForgeClientStack } from '../stacks/forge-client.stack';
import { countTokenRequests, TokenCountRow } from './token-count';

/** Thundering herd: `herdCalls` calls at once on a cold cache (no token yet). */
export async function measureHerd(server: BenchServer, sizes: BenchSizes): Promise<TokenCountRow> {
  const forge = createForgeClientStack({ origin: server.origin, tokenUrl: server.tokenUrl });
  const axiosStack = createAxiosAuthRefreshStack(server.origin, server.tokenUrl);
  const axiosDefaults = createAxiosAuthRefreshStack(server.origin, server.tokenUrl, {
    deduplicateRefresh: true,
  });
  return {
    forgeClient: await countTokenRequests(server, forge, sizes.herdCalls),
    axiosAuthRefresh: await countTokenRequests(server, axiosStack, sizes.herdCalls),
    axiosAuthRefreshDefaults: await countTokenRequests(server, axiosDefaults, sizes.herdCalls),
  };
}
