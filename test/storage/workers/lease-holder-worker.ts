import { leaseProcess, LeaseWorkerInput } from './lease-workers';

/**
 * Takes the lock and starts a token fetch that never ends, then tells the parent, which kills
 * this process with SIGKILL: no release, no cleanup, only the lease left in Redis.
 */
async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as LeaseWorkerInput;
  const { manager } = await leaseProcess(input, () => {
    process.send?.({ fetching: true });
    return new Promise(() => undefined);
  });
  await manager.getToken();
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : 'error' });
});
