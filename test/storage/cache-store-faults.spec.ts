import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { CacheManagerTokenStorage, TokenData } from '../../lib';
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
    if (this.fault === 'throw') throw new Error('store exploded');
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    if (this.fault === 'throw') throw new Error('store exploded');
    return super.delete(key);
  }
}

const token = () => new TokenData({ accessToken: 'abc', expiresAt: new Date(Date.now() + 60_000) });

describe('CacheManagerTokenStorage when the store misbehaves', () => {
  const logs = LogCapture.install();
  afterAll(() => LogCapture.uninstall());
  afterEach(() => logs.clear());

  it('answers within operationTimeoutMs when the store hangs: last-seen token, else a miss; one warning', async () => {
    const store = new FaultyStore();
    const storage = new CacheManagerTokenStorage(createCache({ stores: [new Keyv({ store })] }), {
      operationTimeoutMs: 100,
    });
    await storage.set('svc', token());
    store.fault = 'hang';
    const started = Date.now();
    const reads = await Promise.all(Array.from({ length: 10 }, () => storage.get('svc')));
    expect(reads.map((t) => t?.accessToken)).toEqual(Array(10).fill('abc'));
    expect(await storage.get('never-seen')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
    expect(logs.count('warn')).toBe(1);
  });

  it('survives errors Keyv throws (throwOnErrors), logs no error message, and logs recovery', async () => {
    const store = new FaultyStore();
    const storage = new CacheManagerTokenStorage(
      createCache({ stores: [new Keyv({ store, throwOnErrors: true })] }),
    );
    store.fault = 'throw';
    await expect(storage.set('svc', token())).resolves.toBeUndefined();
    expect((await storage.get('svc'))?.accessToken).toBe('abc');
    await expect(storage.delete('svc')).resolves.toBeUndefined();
    expect(await storage.get('svc')).toBeUndefined();
    expect(logs.count('warn')).toBe(1);
    expect(logs.lines[0].message).not.toContain('store exploded'); // a store may quote values
    store.fault = 'none';
    await storage.set('svc', token());
    expect((await storage.get('svc'))?.accessToken).toBe('abc');
    expect(logs.lines.map((l) => l.level)).toEqual(['warn', 'log']);
    expect(logs.lines[1].message).toContain('recovered');
  });
});
