import { BenchResults } from './bench-results';

export interface TargetCheck {
  target: string;
  measured: string;
  /** undefined when the part did not run (Redis absent). */
  met?: boolean;
  /** By how much a missed target was missed. */
  shortfall?: string;
}

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const extra = (count: number) => `${count - 1} extra token request${count === 2 ? '' : 's'}`;

/** The goals of issues 9 and 17, checked against one run. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const ratio = (id: string) => results.overhead.find((row) => row.id === id)?.ratio ?? NaN;
  const forge = ratio('forgeClient');
  const forgeUndici = ratio('forgeClientUndici');
  const axiosStack = ratio('axiosAuthRefresh');
  // The same ForgeClient with the OTel API installed (no-op provider) over without it.
  const instrumentation = forge / ratio('forgeClientNoOtel');
  const cross = results.crossProcess;
  return [
    {
      target: 'ForgeClient undici, token + retry + breaker ≤ 0.5× bare HttpService time',
      measured: `${forgeUndici.toFixed(2)}×`,
      met: forgeUndici <= 0.5,
      shortfall: `${percent(forgeUndici / 0.5 - 1)} slower than the goal`,
    },
    {
      target: 'ForgeClient axios, token + retry + breaker ≤ 1.05× bare HttpService time',
      measured: `${forge.toFixed(2)}×`,
      met: forge <= 1.05,
      shortfall: `${percent(forge / 1.05 - 1)} slower than the goal (${percent(forge - 1)} over HttpService)`,
    },
    {
      target: 'ForgeClient axios no slower than axios + axios-auth-refresh + axios-retry',
      measured: `${forge.toFixed(2)}× vs ${axiosStack.toFixed(2)}×`,
      met: forge <= axiosStack,
      shortfall: `${percent(forge / axiosStack - 1)} slower than the axios stack`,
    },
    {
      target: 'Instrumentation with a no-op OTel provider ≤ 3% on the request path',
      measured: `${instrumentation.toFixed(3)}× the ForgeClient without @opentelemetry/api`,
      met: instrumentation <= 1.03,
      shortfall: `${percent(instrumentation - 1)} over the ForgeClient without the API`,
    },
    {
      target: 'Herd: 1 token request (ForgeClient)',
      measured: `${results.herd.forgeClient.tokenRequests}`,
      met: results.herd.forgeClient.tokenRequests === 1,
      shortfall: extra(results.herd.forgeClient.tokenRequests),
    },
    {
      target: '401 storm: 1 token request (ForgeClient)',
      measured: `${results.storm.forgeClient.tokenRequests}`,
      met: results.storm.forgeClient.tokenRequests === 1,
      shortfall: extra(results.storm.forgeClient.tokenRequests),
    },
    {
      target: 'Cross-process with the Redis lock: 1 token request',
      measured: cross.skipped ? `skipped: ${cross.reason}` : `${cross.withLock.tokenRequests}`,
      met: cross.skipped ? undefined : cross.withLock.tokenRequests === 1,
      shortfall: cross.skipped ? undefined : extra(cross.withLock.tokenRequests),
    },
    ...results.memory.map((memory) => ({
      target: `Memory growth < 5 MB (${memory.transport} transport)`,
      measured: `${memory.growthMb.toFixed(2)} MB`,
      met: memory.growthMb < 5,
      shortfall: `${(memory.growthMb - 5).toFixed(2)} MB over`,
    })),
  ];
}
