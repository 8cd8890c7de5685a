import { InMemoryTokenStorage, TokenData, TokenManager, TokenProvider } from '../../lib';
import { ManualClock } from '../../lib/testing';

/** A storage that counts reads, to see when the manager goes to it. */
class CountingStorage extends InMemoryTokenStorage {
  reads = 0;
  override async get(key: string): Promise<TokenData | undefined> {
    this.reads += 1;
    return super.get(key);
  }
}

/** A custom provider issuing numbered tokens that live `lifetimeMs`. */
class NumberedTokens implements TokenProvider {
  readonly serviceName = 'numbered';
  issued = 0;
  constructor(
    private readonly lifetimeMs: number,
    private readonly clock: { now(): number } = Date,
  ) {}
  async fetchToken(): Promise<TokenData> {
    this.issued += 1;
    return new TokenData({
      accessToken: `token-${this.issued}`,
      expiresAt: new Date(this.clock.now() + this.lifetimeMs),
    });
  }
}

describe('TokenManager serves the token it holds without a storage read', () => {
  it('reads the storage once, not per call, while the token is outside the skew', async () => {
    const storage = new CountingStorage();
    const manager = new TokenManager(new NumberedTokens(60_000), storage, { refreshSkew: 1_000 });
    await manager.getToken();
    const readsAfterFirst = storage.reads;
    for (let i = 0; i < 100; i++) expect((await manager.getToken()).accessToken).toBe('token-1');
    expect(storage.reads).toBe(readsAfterFirst);
  });

  it('goes back to the storage once the token nears expiry, and picks up a peer’s newer token', async () => {
    const storage = new CountingStorage();
    const clock = new ManualClock();
    const provider = new NumberedTokens(1_200, clock);
    const mine = new TokenManager(provider, storage, { refreshSkew: 1_000, clock });
    const peer = new TokenManager(provider, storage, { refreshSkew: 1_000, clock });
    expect((await mine.getToken()).accessToken).toBe('token-1');
    // The peer refused token-1 and stored token-2 in its place.
    await peer.invalidate(await peer.getToken());
    expect((await peer.getToken()).accessToken).toBe('token-2');
    // Still outside its skew, `mine` keeps serving what it holds (it would learn of a refusal
    // through its own 401)...
    expect((await mine.getToken()).accessToken).toBe('token-1');
    // ...and reads the storage once token-1 enters the skew window.
    // (The skew is capped at half the lifetime: 600 ms here.)
    clock.advance(700);
    const reads = storage.reads;
    expect((await mine.getToken()).accessToken).toBe('token-2');
    expect(storage.reads).toBeGreaterThan(reads);
    // token-2 is inside mine's 1 s skew (mine did not fetch it, so no half-lifetime cap): it is
    // served, and at most one background refresh starts behind it.
    expect(provider.issued).toBeLessThanOrEqual(3);
  });

  it('never serves a held token after it was refused', async () => {
    const storage = new CountingStorage();
    const provider = new NumberedTokens(60_000);
    const manager = new TokenManager(provider, storage);
    const first = await manager.getToken();
    await manager.invalidate(first);
    expect((await manager.getToken()).accessToken).toBe('token-2');
  });
});
