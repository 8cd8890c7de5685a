import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { CacheManagerTokenStorage, TokenData, TokenManager } from '../../lib';
import { LogCapture } from '../support/log-capture';

/** A Keyv store that can be made to hang or throw: the fault is the only thing stubbed. */
class FaultyStore extends Map<string, unknown> {
  fault: 'none' | 'hang' | 'throw' = 'none';

  override get(key: string): unknown {
    if (this.fault === 'hang') return new Promise(() => undefined);
    if (this.fault === 'throw') throw new Error('store exploded');
    return super.get(key);
  }

  override set(key: string, value: unknown): this {
    if (this.fault === 'hang') return new Promise(() => undefined) as unknown as this;
    if (this.fault === 'throw') throw new Error('store exploded');
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    if (this.fault === 'throw') throw new Error('store exploded');
    return super.delete(key);
  }
}

const token = () => new TokenData({ accessToken: 'abc', expiresAt: new Date(Date.now() + 60_000) });

/** A custom provider numbering its tokens. */
function numberedTokens() {
  const provider = {
    serviceName: 'svc',
    fetches: 0,
    fetchToken: async () =>
      new TokenData({
        accessToken: `token-${++provider.fetches}`,
        expiresAt: new Date(Date.now() + 60_000),
      }),
  };
  return provider;
}

describe('CacheManagerTokenStorage when the store misbehaves', () => {
  const logs = LogCapture.install();
  afterAll(() => LogCapture.uninstall());
  afterEach(() => logs.clear());

  it('rejects a hanging call after operationTimeoutMs; managers over it serve what they hold or fetch, warned once', async () => {
    const store = new FaultyStore();
    const storage = new CacheManagerTokenStorage(createCache({ stores: [new Keyv({ store })] }), {
      operationTimeoutMs: 100,
    });
    const provider = numberedTokens();
    const holder = new TokenManager(provider, storage);
    const held = await holder.getToken();
    store.fault = 'hang';

    const started = Date.now();
    await expect(storage.get('svc')).rejects.toThrow('cache get took longer than 100 ms');
    const late = new TokenManager(provider, storage); // started during the outage: holds nothing
    const tokens = await Promise.all([
      ...Array.from({ length: 10 }, () => holder.getToken()),
      ...Array.from({ length: 10 }, () => late.getToken()),
    ]);

    expect(tokens.slice(0, 10).every((t) => t.sameTokenAs(held))).toBe(true);
    expect(new Set(tokens.slice(10).map((t) => t.accessToken))).toEqual(new Set(['token-2']));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(logs.count('warn')).toBe(1);
    expect(logs.count('warn', 'TokenStorage')).toBe(1);
  });

  it('reports errors Keyv throws (throwOnErrors); the manager logs no error message, and logs recovery', async () => {
    const store = new FaultyStore();
    const storage = new CacheManagerTokenStorage(
      createCache({ stores: [new Keyv({ store, throwOnErrors: true })] }),
    );
    store.fault = 'throw';
    await expect(storage.set('svc', token())).rejects.toThrow();
    await expect(storage.get('svc')).rejects.toThrow();
    await expect(storage.delete('svc')).rejects.toThrow();
    expect(logs.count('warn')).toBe(0); // the storage reports; the TokenManager decides

    const manager = new TokenManager(numberedTokens(), storage, { refreshSkew: 0 });
    const first = await manager.getToken();
    expect((await manager.getToken()).sameTokenAs(first)).toBe(true);
    expect(logs.count('warn')).toBe(1);
    expect(logs.lines[0].message).not.toContain('store exploded'); // a store may quote values

    store.fault = 'none';
    await manager.invalidate(first);
    expect((await manager.getToken()).accessToken).toBe('token-2');
    expect(logs.lines.map((l) => l.level)).toEqual(['warn', 'log']);
    expect(logs.lines[1].message).toContain('recovered');
  });
});
