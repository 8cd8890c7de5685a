import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  TokenData,
  TokenManager,
} from '../../lib';
import { FakeTokenEndpoint, ManualClock } from '../../lib/testing';

/** The shape of the TokenManager `clock` option (shared/DESIGN.md, "Tokens"). */
type Clock = { now(): number };

describe('ManualClock', () => {
  it('starts at the given epoch ms, or at the real time now', () => {
    expect(new ManualClock(1_000).now()).toBe(1_000);
    const before = Date.now();
    const clock = new ManualClock();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(Date.now());
  });

  it('stands still until advanced, then moves by exactly that much', async () => {
    const clock = new ManualClock(5_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.now()).toBe(5_000);
    clock.advance(250);
    clock.advance(0);
    expect(clock.now()).toBe(5_250);
  });

  it('is set to any epoch ms, backwards too', () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    clock.set(Date.UTC(2029, 11, 31));
    expect(new Date(clock.now()).toISOString()).toBe('2029-12-31T00:00:00.000Z');
  });

  it('refuses to go backwards by advance, or to a time that is not a number', () => {
    const clock = new ManualClock(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.set(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new ManualClock(Number.NaN)).toThrow(RangeError);
    expect(clock.now()).toBe(0);
  });

  it('is a clock as the token code reads one: expiry and skew move with it, not with real time', () => {
    const clock: Clock = new ManualClock(Date.UTC(2030, 0, 1));
    const manual = clock as ManualClock;
    const token = TokenData.fromTokenResponse(
      { access_token: 'at', token_type: 'Bearer', expires_in: 120 },
      { now: clock.now() },
    );
    expect(token.isExpired(60_000, clock.now())).toBe(false);
    manual.advance(60_000);
    expect(token.isExpired(60_000, clock.now())).toBe(true); // within the skew
    expect(token.isExpired(0, clock.now())).toBe(false);
    manual.advance(60_000);
    expect(token.isExpired(0, clock.now())).toBe(true);
    expect(token.expiresInMs(clock.now())).toBe(0);
  });

  describe('as the TokenManager clock option', () => {
    let endpoint: FakeTokenEndpoint;
    const clock = new ManualClock();

    beforeAll(async () => {
      endpoint = await FakeTokenEndpoint.start({ clients: { app: 'app-s3cret' }, clock });
    });
    beforeEach(() => endpoint.reset());
    afterAll(() => endpoint.close());

    const manager = () =>
      new TokenManager(
        new ClientCredentialsTokenProvider({
          tokenUrl: endpoint.tokenUrl,
          clientId: 'app',
          clientSecret: 'app-s3cret',
          serviceName: 'clocked',
        }),
        undefined,
        { clock, failureBackoff: { initial: 1_000, max: 1_000 } },
      );

    it('holds the failure backoff until the clock passes it, without waiting', async () => {
      const tokens = manager();
      endpoint.failNext(1, { status: 401, error: 'invalid_client' });
      await expect(tokens.getToken()).rejects.toBeInstanceOf(AuthenticationException);
      clock.advance(499); // the jittered pause is at least half of `initial`
      await expect(tokens.getToken()).rejects.toMatchObject({ error: 'invalid_client' });
      expect(endpoint.tokenRequests).toBe(1);
      clock.advance(501);
      await expect(tokens.getToken()).resolves.toBeInstanceOf(TokenData);
      expect(endpoint.tokenRequests).toBe(2);
    });

    // The provider dates a token's expiry on the real clock; the manager keeps the token's
    // lifetime on its own clock, so a clock far ahead of real time still gets one new token.
    it('moves a manager past a token lifetime: one new token, then served from cache', async () => {
      const tokens = manager();
      const first = await tokens.getToken();
      clock.advance(3_600_000);
      const second = await tokens.getToken();
      expect(second.sameTokenAs(first)).toBe(false);
      for (let i = 0; i < 5; i++) expect((await tokens.getToken()).sameTokenAs(second)).toBe(true);
      expect(endpoint.tokenRequests).toBe(2);
    });
  });
});
