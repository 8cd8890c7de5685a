import { TokenData } from '../../../lib';
import { serveChildTask } from '../../support/child-processes';
import { leaseProcess, LeaseWaiterResult, LeaseWorkerInput } from './lease-workers';

serveChildTask(
  (input: LeaseWorkerInput) =>
    leaseProcess(
      input,
      async () =>
        new TokenData({
          accessToken: `from-${process.pid}`,
          expiresAt: new Date(Date.now() + 60_000),
        }),
    ),
  async ({ manager }): Promise<LeaseWaiterResult> => {
    const started = Date.now();
    const token = await manager.getToken();
    return { accessToken: token.accessToken, waitedMs: Date.now() - started };
  },
  ({ close }) => close(),
);
