/**
 * A clock that moves only when told, for the `TokenManager` `clock` option (and the fake token
 * endpoint's): expiry, refresh skew and backoff are tested by moving time, not by waiting.
 */
export class ManualClock {
  private current: number;

  /** @param startEpochMs where the clock starts; default the real time now */
  constructor(startEpochMs: number = Date.now()) {
    this.current = checked('startEpochMs', startEpochMs);
  }

  /** The clock's time, epoch ms. */
  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`ManualClock.advance: ms must be a finite number >= 0, got ${ms}`);
    }
    this.current += ms;
  }

  /** Sets the clock to `epochMs` (also backwards, to test a clock that jumps). */
  set(epochMs: number): void {
    this.current = checked('epochMs', epochMs);
  }
}

function checked(name: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(`ManualClock: ${name} must be a finite epoch ms, got ${value}`);
  }
  return value;
}
