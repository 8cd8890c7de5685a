import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ClientCredentialsTokenProvider,
  ForgeClient,
  HttpClientConfigBuilder,
  TokenManager,
} from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { ManualClock } from '../../lib/testing';
import { waitFor } from '../support/body-faults';
import { HeldProvider } from '../support/clocked-tokens';
import { ScriptedServer } from '../support/scripted-server';

const SECRET = 'rotated-s3cret';
const INVALID_CLIENT = { status: 400, body: { error: 'invalid_client' } };
const TOKEN = {
  status: 200,
  body: { access_token: 'good-token', token_type: 'Bearer', expires_in: 120 },
};

/** Real time, plus whatever a test adds to it: the token code reads only this clock. */
class OffsetClock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

describe('fail closed without hammering the IdP (failureBackoff)', () => {
  let idp: ScriptedServer;
  let api: ScriptedServer;
  const logs = useLogCapture();

  beforeEach(async () => {
    [idp, api] = await Promise.all([ScriptedServer.start(), ScriptedServer.start()]);
  });
  afterEach(async () => {
    await Promise.all([idp.close(), api.close()]);
  });

  function setUp(clock: { now(): number }, refreshSkew = 60_000) {
    // Counts the fetches and refreshes the manager starts (it holds none here).
    const provider = new HeldProvider(
      new ClientCredentialsTokenProvider({
        tokenUrl: idp.url('/token'),
        clientId: 'orders-client',
        clientSecret: SECRET,
        serviceName: 'orders',
      }),
    );
    const manager = new TokenManager(provider, undefined, {
      failureBackoff: { initial: 1_000, max: 30_000 },
      refreshSkew,
      clock,
    });
    const config = new HttpClientConfigBuilder('orders')
      .withBaseUrl(api.url())
      .withTokenAuth(manager)
      .build();
    return { manager, provider, client: new ForgeClient(config) };
  }

  it('100 callers looping for 6 s against invalid_client: at most 8 token requests, every call rejected, nothing sent to the API; calls succeed once the endpoint is fixed and the window passed', async () => {
    idp.otherwise(INVALID_CLIENT);
    const clock = new OffsetClock();
    const { manager, client } = setUp(clock);
    const errors: unknown[] = [];
    let succeeded = 0;
    const until = Date.now() + 6_000;
    const caller = async () => {
      while (Date.now() < until) {
        await lastValueFrom(client.get('/orders')).then(
          () => (succeeded += 1),
          (error: unknown) => errors.push(error),
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all(Array.from({ length: 100 }, caller));

    console.log(`${errors.length} calls in 6 s, ${idp.requests.length} token requests`);
    expect(manager.state).toMatchObject({ inBackoff: true, lastError: expect.any(String) });
    expect(manager.state.failingSince).toBeInstanceOf(Date);
    expect(manager.state.lastError).not.toContain(SECRET);
    expect(idp.requests.length).toBeGreaterThanOrEqual(2);
    expect(idp.requests.length).toBeLessThanOrEqual(8);
    expect(succeeded).toBe(0);
    expect(errors.length).toBeGreaterThan(1_000);
    const unexpected = errors.filter(
      (error) =>
        !(error instanceof AuthenticationException) ||
        error.error !== 'invalid_client' ||
        error.serviceName !== 'orders' ||
        error.message.includes(SECRET),
    );
    expect(unexpected).toEqual([]);
    // A caller turned away during the pause is told when the next attempt is allowed.
    const last = errors[errors.length - 1] as Error;
    expect(last.message).toMatch(/no new token request for "orders" before \d{4}-\d\d-\d\dT/);
    // Fail closed: no request went out without its credential.
    expect(api.requests).toHaveLength(0);
    expect(logs.text).not.toContain(SECRET);

    // The secret is fixed: nothing changes before the window has passed... The window the last
    // failure opened (jittered) may end just after the 6 s loop, and real time goes on while the
    // checks above run: step the clock back so this call lands inside it, whatever the machine load.
    clock.offset -= 2_000;
    idp.otherwise(TOKEN);
    const before = idp.requests.length;
    await expect(lastValueFrom(client.get('/orders'))).rejects.toMatchObject({
      error: 'invalid_client',
    });
    expect(idp.requests.length).toBe(before);
    // ...and once it has, the next call fetches a token and succeeds.
    clock.offset += 30_000;
    const response = await lastValueFrom(client.get('/orders'));
    expect(response.status).toBe(200);
    expect(api.requests[0].headers.authorization).toBe('Bearer good-token');
    expect(manager.state).toEqual({
      hasValidToken: true,
      inBackoff: false,
      consecutiveFailures: 0,
      expiresAt: expect.any(Date),
    });
  }, 20_000);

  it('a held valid token keeps being served while refreshes fail; no caller fails', async () => {
    idp.reply(TOKEN).otherwise(INVALID_CLIENT);
    const clock = new ManualClock();
    const start = clock.now();
    const { manager, provider, client } = setUp(clock);
    await lastValueFrom(client.get('/orders'));
    expect(idp.requests).toHaveLength(1);

    // From 61 s on the token is inside the refresh skew (60 s of its 120 s): refreshes run in the
    // background, and fail, until it expires at 120 s. Only the manual clock moves it there.
    let calls = 0;
    for (let second = 61; second <= 115; second += 1) {
      clock.set(start + second * 1_000);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => lastValueFrom(client.get('/orders'))),
      );
      calls += responses.length;
      // Every refresh started so far has failed and logged it, however slow the machine.
      await waitFor(() => logs.count('warn', 'TokenManager') === provider.fetches - 1, 10_000);
    }
    expect(calls).toBe(55 * 20);
    expect(api.requests.every((r) => r.headers.authorization === 'Bearer good-token')).toBe(true);
    // One failing refresh per pause (1, 2, 4, 8, 16, 30 s ...), not one per call.
    const refreshes = idp.requests.length - 1;
    expect(refreshes).toBeGreaterThanOrEqual(2);
    expect(refreshes).toBeLessThanOrEqual(8);
    expect(manager.state.failingSince).toBeInstanceOf(Date);
    expect(manager.state.lastError).toMatch(/invalid_client/);
    expect(logs.count('warn', 'TokenManager')).toBe(refreshes);

    // Once it has expired, callers are refused (fail closed), never sent without a token.
    clock.set(start + 121_000);
    const sent = api.requests.length;
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationException);
    await expect(lastValueFrom(client.get('/orders'))).rejects.toMatchObject({
      error: 'invalid_client',
    });
    expect(api.requests.length).toBe(sent);
  });

  it.each([
    ['two hours behind real time', -2 * 3_600_000],
    ['a year ahead of real time', 365 * 86_400_000],
  ])(
    'serves the held token inside the skew while a refresh fails, on a test clock %s',
    async (_where, offsetMs) => {
      idp.reply(TOKEN).otherwise(INVALID_CLIENT);
      const clock = new ManualClock(Date.now() + offsetMs);
      const start = clock.now();
      const { manager } = setUp(clock);
      const held = await manager.getToken();

      // 90 s into the 120 s token, by the test clock: within the skew, not expired.
      clock.set(start + 90_000);
      expect((await manager.getToken()).sameTokenAs(held)).toBe(true);
      await waitFor(() => logs.count('warn', 'TokenManager') === 1, 5_000);
      expect(idp.requests).toHaveLength(2); // the fetch, then one background refresh that failed
    },
  );

  it('does not let invalidate() skip the backoff', async () => {
    idp.reply(TOKEN, INVALID_CLIENT).otherwise(TOKEN);
    const clock = new OffsetClock();
    const { manager } = setUp(clock);
    const token = await manager.getToken();
    await manager.invalidate(token);
    await expect(manager.getToken()).rejects.toMatchObject({ error: 'invalid_client' });
    await manager.invalidate(token);
    await manager.invalidate();
    await expect(manager.getToken()).rejects.toMatchObject({ error: 'invalid_client' });
    expect(idp.requests).toHaveLength(2);
    clock.offset += 1_000;
    await expect(manager.getToken()).resolves.toMatchObject({ accessToken: 'good-token' });
  });

  it('doubles the pause per consecutive failure up to max, and resets it on success', async () => {
    idp.otherwise(INVALID_CLIENT);
    const clock = new OffsetClock();
    const { manager } = setUp(clock);
    const pauses: number[] = [];
    for (let failure = 1; failure <= 7; failure += 1) {
      await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationException);
      const next = manager.state.nextAttemptAt!.getTime() - clock.now();
      pauses.push(next);
      clock.offset += next + 1;
    }
    // Jittered into [half, full) of 1, 2, 4, 8, 16, 30, 30 s.
    [1, 2, 4, 8, 16, 30, 30].forEach((seconds, i) => {
      expect(pauses[i]).toBeGreaterThanOrEqual((seconds * 1_000) / 2 - 5);
      expect(pauses[i]).toBeLessThanOrEqual(seconds * 1_000);
    });
    idp.otherwise(TOKEN);
    await manager.getToken();
    expect(manager.state).toMatchObject({ inBackoff: false, consecutiveFailures: 0 });
    expect(manager.state.failingSince).toBeUndefined();
  });

  it('is off with { initial: 0 }: every call asks the token endpoint again', async () => {
    idp.otherwise(INVALID_CLIENT);
    const manager = new TokenManager(
      new ClientCredentialsTokenProvider({
        tokenUrl: idp.url('/token'),
        clientId: 'orders-client',
        clientSecret: SECRET,
        serviceName: 'orders',
      }),
      undefined,
      { failureBackoff: { initial: 0, max: 0 } },
    );
    for (let i = 0; i < 3; i += 1) {
      await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationException);
    }
    expect(idp.requests).toHaveLength(3);
  });
});
