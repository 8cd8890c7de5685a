import { TokenClock } from './failure-backoff';
import { TokenData } from './token-data';

/**
 * How a TokenManager reads time: its clock (DESIGN: the only clock of the token code) and the
 * refresh skew, kept at most half of the lifetime of the token it fetched last.
 */
export class TokenTimes {
  private fetched?: { token: TokenData; lifetimeMs: number };

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
    if (ttl !== undefined) this.fetched = { token: onClock, lifetimeMs: ttl };
    return { token: onClock, ttl };
  }

  /** A 60 s skew on a 30 s token would otherwise renew it on every call. */
  private skewFor(token: TokenData): number {
    if (!this.fetched?.token.sameTokenAs(token)) return this.refreshSkew;
    return Math.min(this.refreshSkew, this.fetched.lifetimeMs / 2);
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
