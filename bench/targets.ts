import { BenchResults } from './bench-results';

export interface TargetCheck {
  target: string;
  measured: string;
  /** undefined when the part did not run (Redis absent). */
  met?: boolean;
}

/** The goals of issue 9, checked against one run. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const ratio = (id: string) => results.overhead.find((row) => row.id === id)?.ratio ?? NaN;
  const forge = ratio('forgeClient');
  const axiosStack = ratio('axiosAuthRefresh');
  const cross = results.crossProcess;
  return [
    {
      target: 'ForgeClient ≤ 1.05× bare HttpService time',
      measured: `${forge.toFixed(2)}×`,
      met: forge <= 1.05,
    },
    {
      target: 'ForgeClient no slower than axios + axios-auth-refresh + axios-retry',
      measured: `${forge.toFixed(2)}× vs ${axiosStack.toFixed(2)}×`,
      met: forge <= axiosStack,
    },
    {
      target: 'Herd: 1 token request (ForgeClient)',
      measured: `${results.herd.forgeClient.tokenRequests}`,
      met: results.herd.forgeClient.tokenRequests === 1,
    },
    {
      target: '401 storm: 1 token request (ForgeClient)',
      measured: `${results.storm.forgeClient.tokenRequests}`,
      met: results.storm.forgeClient.tokenRequests === 1,
    },
    {
      target: 'Cross-process with the Redis lock: 1 token request',
      measured: cross.skipped ? `skipped: ${cross.reason}` : `${cross.withLock.tokenRequests}`,
      met: cross.skipped ? undefined : cross.withLock.tokenRequests === 1,
    },
    {
      target: 'Memory growth < 5 MB',
      measured: `${results.memory.growthMb.toFixed(2)} MB`,
      met: results.memory.growthMb < 5,
    },
  ];
}
