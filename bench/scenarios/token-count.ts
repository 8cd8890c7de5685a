import { runAllAtOnce } from '../load';
import { BenchServer } from '../servers/bench-server';
import { Stack } from '../stacks/stack';

/** Token requests the token endpoint saw, and calls that did not end with a 2xx. */
export interface TokenCount {
  tokenRequests: number;
  failures: number;
}

export interface TokenCountRow {
  forgeClient: TokenCount;
  /** `deduplicateRefresh: false`: every call succeeds. */
  axiosAuthRefresh: TokenCount;
  /** The library's defaults (`deduplicateRefresh: true`): 401s during a refresh fail. */
  axiosAuthRefreshDefaults: TokenCount;
}

/** Fires `calls` GETs of a token-protected path at once and counts the token requests they cause. */
export async function countTokenRequests(
  server: BenchServer,
  stack: Stack,
  calls: number,
): Promise<TokenCount> {
  try {
    await server.resetCounters();
    const { failures } = await runAllAtOnce(calls, () => stack.get('/secure'));
    const { tokenRequests } = await server.stats();
    return { tokenRequests, failures };
  } finally {
    await stack.close();
  }
}
