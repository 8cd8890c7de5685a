import { ExclusiveWork, TokenLock } from './token-lock.interface';

/**
 * The default lock: single flight between the TokenManagers of one process. A caller that finds
 * a fetch in flight for its key waits for it, then reads what it stored.
 */
export class InProcessTokenLock implements TokenLock {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  async runExclusive<T>(key: string, work: ExclusiveWork<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) {
      await running.catch(() => undefined);
      const stored = await work.poll();
      if (stored !== undefined) return stored;
      return this.runExclusive(key, work);
    }
    const fetching = work.fetch();
    this.inFlight.set(key, fetching);
    try {
      return await fetching;
    } finally {
      if (this.inFlight.get(key) === fetching) this.inFlight.delete(key);
    }
  }
}
