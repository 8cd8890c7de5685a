import { TokenClock } from './failure-backoff';
import { TokenData } from './token-data';

/** Tokens whose lifetime a manager remembers: the one it holds and a peer's replacement. */
const KNOWN_TOKENS = 3;

/**
 * How a TokenManager reads time: its clock (DESIGN: the only clock of the token code) and the
 * refresh skew, kept at most half of a token's known lifetime.
 */
export class TokenTimes {
  /** Newest first: a fetched token's lifetime, or what was left of a peer's when first seen. */
  private known: Array<{ token: TokenData; lifetimeMs: number }> = [];

  constructor(
    private readonly clock: TokenClock,
    private readonly refreshSkew: number,
    private readonly defaultTokenLifetime?: number,
  ) {}

  expired(token: TokenData, skewMs = 0): boolean {
    return token.isExpired(skewMs, this.clock.now());
  }

  /** Within the refresh skew: time to renew it. */
  due(token: TokenData): boolean {
    return this.expired(token, this.skewFor(token));
  }

  /**
   * The fetched token on this clock, with its remaining ms (none: no expiry). Providers date expiry
   * on the real clock; a test clock keeps the lifetime, not the date.
   */
  fetchedNow(token: TokenData): { token: TokenData; ttl?: number } {
    const onClock = this.onClock(token);
    const ttl = onClock.expiresInMs(this.clock.now());
    if (ttl !== undefined) this.remember(onClock, ttl);
    return { token: onClock, ttl };
  }

  /**
   * A 60 s skew on a 30 s token would otherwise renew it on every call. A peer's token (read from
   * a shared storage) counts from when this manager first saw it: were it due at once, every
   * process would fetch its own instead of sharing one.
   */
  private skewFor(token: TokenData): number {
    let known = this.known.find((entry) => entry.token.sameTokenAs(token));
    if (!known) {
      const left = token.expiresInMs(this.clock.now());
      if (left === undefined) return this.refreshSkew;
      known = this.remember(token, Math.max(0, left));
    }
    return Math.min(this.refreshSkew, known.lifetimeMs / 2);
  }

  private remember(token: TokenData, lifetimeMs: number) {
    const entry = { token, lifetimeMs };
    this.known = [entry, ...this.known.slice(0, KNOWN_TOKENS - 1)];
    return entry;
  }

  private onClock(token: TokenData): TokenData {
    if (token.expiresAt && this.clock === Date) return token;
    const lifetimeMs = token.expiresAt
      ? token.expiresAt.getTime() - Date.now()
      : this.defaultTokenLifetime;
    if (lifetimeMs === undefined) return token;
    return new TokenData({ ...token.toJSON(), expiresAt: new Date(this.clock.now() + lifetimeMs) });
  }
}
