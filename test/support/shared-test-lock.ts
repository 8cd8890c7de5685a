import { ExclusiveWork, TokenLock } from '../../lib';

/**
 * Stands for a cross-process lock (Redis) between the "processes" of one test: one holder per
 * key; the others wait for it, then read what it stored, and fetch only if it stored nothing.
 */
export class SharedTestLock implements TokenLock {
  entered = 0;
  private readonly held = new Map<string, Promise<unknown>>();

  async runExclusive<T>(key: string, work: ExclusiveWork<T>): Promise<T> {
    this.entered += 1;
    for (let holder = this.held.get(key); holder; holder = this.held.get(key)) {
      await holder.catch(() => undefined);
      const stored = await work.poll();
      if (stored !== undefined) return stored;
    }
    const fetching = work.fetch();
    this.held.set(key, fetching);
    try {
      return await fetching;
    } finally {
      this.held.delete(key);
    }
  }
}
