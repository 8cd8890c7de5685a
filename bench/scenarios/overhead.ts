import { BenchSizes } from '../bench-options';
import { median, runConcurrently } from '../load';
import { BenchServer } from '../servers/bench-server';
import { createAxiosAuthRefreshStack } from '../stacks/axios-auth-refresh.stack';
import { createOtelForgeStack } from '../stacks/otel.stack';
import { createHttpServiceStack } from '../stacks/http-service.stack';
import { Stack } from '../stacks/stack';
import { createUndiciStack } from '../stacks/undici.stack';

export type OverheadStackId =
  | 'httpService'
  | 'forgeClientNoOtel'
  | 'forgeClient'
  | 'forgeClientOtelSdk'
  | 'forgeClientStatic'
  | 'forgeClientUndici'
  | 'forgeClientUndiciStatic'
  | 'axiosAuthRefresh'
  | 'undici';

export interface OverheadRow {
  id: OverheadStackId;
  label: string;
  /** Wall time of each round, in ms. */
  roundsMs: number[];
  medianMs: number;
  /** Median time divided by the HttpService median. */
  ratio: number;
  requestsPerSecond: number;
  failures: number;
}

const PATH = '/items';

/**
 * The same GETs through each stack, rounds interleaved (each round runs every stack once, the
 * order rotating) so that a noisy neighbour slows all stacks alike; the median round counts.
 */
export async function measureOverhead(
  server: BenchServer,
  sizes: BenchSizes,
): Promise<OverheadRow[]> {
  const at = { origin: server.origin, tokenUrl: server.tokenUrl };
  const forge = createOtelForgeStack('noop', at);
  const forgeNoOtel = createOtelForgeStack('absent', at);
  const forgeOtelSdk = createOtelForgeStack('sdk', at);
  const forgeUndici = createOtelForgeStack('noop', { ...at, transport: 'undici' });
  const axiosStack = createAxiosAuthRefreshStack(server.origin, server.tokenUrl);
  const stacks: Array<{ id: OverheadStackId; stack: Stack }> = [
    { id: 'httpService', stack: createHttpServiceStack(server.origin) },
    { id: 'forgeClientNoOtel', stack: forgeNoOtel },
    { id: 'forgeClient', stack: forge },
    { id: 'forgeClientOtelSdk', stack: forgeOtelSdk },
    { id: 'forgeClientStatic', stack: createOtelForgeStack('noop', { ...at, auth: 'static' }) },
    { id: 'forgeClientUndici', stack: forgeUndici },
    {
      id: 'forgeClientUndiciStatic',
      stack: createOtelForgeStack('noop', { ...at, transport: 'undici', auth: 'static' }),
    },
    { id: 'axiosAuthRefresh', stack: axiosStack },
    { id: 'undici', stack: createUndiciStack(server.origin) },
  ];
  try {
    // Tokens already cached: this measures the per-request path, not the token endpoint.
    for (const stack of [forge, forgeNoOtel, forgeOtelSdk, forgeUndici]) {
      await stack.tokenManager.getToken();
    }
    await axiosStack.warmUp();
    const rounds = new Map<OverheadStackId, number[]>(stacks.map(({ id }) => [id, []]));
    const failures = new Map<OverheadStackId, number>(stacks.map(({ id }) => [id, 0]));
    for (const { stack } of stacks) {
      stack.activate?.();
      await runConcurrently(sizes.warmUpRequests, sizes.overheadConcurrency, () => stack.get(PATH));
    }
    for (let round = 0; round < sizes.overheadRounds; round++) {
      for (let i = 0; i < stacks.length; i++) {
        const { id, stack } = stacks[(i + round) % stacks.length];
        stack.activate?.();
        const result = await runConcurrently(
          sizes.overheadRequests,
          sizes.overheadConcurrency,
          () => stack.get(PATH),
        );
        rounds.get(id)?.push(result.ms);
        failures.set(id, (failures.get(id) ?? 0) + result.failures);
      }
    }
    const baseline = median(rounds.get('httpService') ?? []);
    return stacks.map(({ id, stack }) => {
      const roundsMs = rounds.get(id) ?? [];
      const medianMs = median(roundsMs);
      return {
        id,
        label: stack.label,
        roundsMs,
        medianMs,
        ratio: medianMs / baseline,
        requestsPerSecond: (sizes.overheadRequests / medianMs) * 1000,
        failures: failures.get(id) ?? 0,
      };
    });
  } finally {
    await Promise.all(stacks.map(({ stack }) => stack.close()));
  }
}
