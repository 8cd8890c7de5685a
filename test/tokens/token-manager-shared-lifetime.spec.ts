import { ClientCredentialsTokenProvider, InMemoryTokenStorage, TokenManager } from '../../lib';
import { FakeTokenEndpoint, ManualClock } from '../../lib/testing';
import { SharedTestLock } from '../support/shared-test-lock';

/**
 * Token requests made by `processes` managers sharing one storage and one lock (the Redis setup)
 * while each calls getToken() once a second for `seconds`, on tokens of `expiresIn` seconds.
 */
async function tokenRequests(processes: number, expiresIn: number, seconds: number) {
  const endpoint = await FakeTokenEndpoint.start({ clients: { app: 'app-secret' }, expiresIn });
  try {
    const clock = new ManualClock();
    const storage = new InMemoryTokenStorage();
    const lock = new SharedTestLock();
    const managers = Array.from({ length: processes }, () => {
      const provider = new ClientCredentialsTokenProvider({
        tokenUrl: endpoint.tokenUrl,
        clientId: 'app',
        clientSecret: 'app-secret',
        serviceName: 'svc',
      });
      return new TokenManager(provider, storage, { clock, lock });
    });
    for (let second = 0; second < seconds; second++) {
      for (const manager of managers) await manager.getToken();
      // Background refreshes reach the real loopback endpoint: let them land.
      await new Promise((resolve) => setTimeout(resolve, 5));
      clock.advance(1_000);
    }
    return endpoint.tokenRequests;
  } finally {
    await endpoint.close();
  }
}

describe('TokenManagers sharing a storage and a lock, on tokens shorter than twice the skew', () => {
  it.each([60, 90])(
    "three make as many token requests as one for %i s tokens: a peer's token is not due at once",
    async (expiresIn) => {
      const alone = await tokenRequests(1, expiresIn, 240);
      const shared = await tokenRequests(3, expiresIn, 240);
      // One manager renews at half the lifetime (the skew is capped there).
      expect(alone).toBeLessThanOrEqual(Math.ceil(240 / (expiresIn / 2)) + 1);
      expect(shared).toBeLessThanOrEqual(alone + 1);
    },
  );
});
