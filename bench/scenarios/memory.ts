import { BenchSizes } from '../bench-options';
import { runConcurrently } from '../load';
import { BenchServer } from '../servers/bench-server';
import { createForgeClientStack } from '../stacks/forge-client.stack';

export interface MemoryResult {
  transport: 'axios' | 'undici';
  requests: number;
  startMb: number;
  endMb: number;
  growthMb: number;
  failures: number;
}

const MB = 1024 * 1024;

/**
 * Heap after a forced GC before and after `memoryRequests` requests through one ForgeClient
 * (token auth, retry, circuit breaker). The start is taken after a warm-up, so that lazily built
 * state (sockets, JIT, the cached token) is not counted as growth.
 */
export async function measureMemory(
  server: BenchServer,
  sizes: BenchSizes,
): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  for (const transport of ['axios', 'undici'] as const) {
    results.push(await measureOne(server, sizes, transport));
  }
  return results;
}

async function measureOne(
  server: BenchServer,
  sizes: BenchSizes,
  transport: 'axios' | 'undici',
): Promise<MemoryResult> {
  const at = { origin: server.origin, tokenUrl: server.tokenUrl, transport };
  const stack = createForgeClientStack(at);
  try {
    await runConcurrently(sizes.warmUpRequests, sizes.overheadConcurrency, () =>
      stack.get('/secure'),
    );
    const startMb = await heapAfterGcMb();
    const { failures } = await runConcurrently(
      sizes.memoryRequests,
      sizes.overheadConcurrency,
      () => stack.get('/secure'),
    );
    const endMb = await heapAfterGcMb();
    return {
      transport,
      requests: sizes.memoryRequests,
      startMb,
      endMb,
      growthMb: endMb - startMb,
      failures,
    };
  } finally {
    await stack.close();
  }
}

async function heapAfterGcMb(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run node with --expose-gc (npm run bench does)');
  // Two passes with a turn of the event loop between them: finalizers and weak refs settle.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().heapUsed / MB;
}
