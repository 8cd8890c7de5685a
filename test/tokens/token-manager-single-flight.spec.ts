import { AuthenticationException, TokenData, TokenManager, TokenProvider } from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { SharedTestLock } from '../support/shared-test-lock';

const token = (accessToken: string) =>
  new TokenData({ accessToken, expiresAt: new Date(Date.now() + 600_000) });

/** A custom provider whose fetches settle only when the test says so. */
class ControlledProvider implements TokenProvider {
  readonly serviceName = 'controlled-svc';
  fetches = 0;
  refusals: (TokenData | undefined)[] = [];
  private pending: ((token: TokenData) => void)[] = [];

  constructor(readonly fetchTimeoutMs?: number) {}

  /** The signal of each fetch, as the manager handed it over. */
  signals: (AbortSignal | undefined)[] = [];

  fetchToken(options?: { signal?: AbortSignal }): Promise<TokenData> {
    this.fetches += 1;
    this.signals.push(options?.signal);
    return new Promise((resolve) => this.pending.push(resolve));
  }

  async onUnauthorized(refused?: TokenData): Promise<void> {
    this.refusals.push(refused);
  }

  answer(accessToken: string): void {
    this.pending.splice(0).forEach((resolve) => resolve(token(accessToken)));
  }
}

/** Lets queued promise callbacks run (the fake timers leave microtasks alone). */
const settle = () => new Promise((resolve) => jest.requireActual('timers').setImmediate(resolve));

describe('TokenManager: one fetch per process, never an endless wait', () => {
  useLogCapture();
  afterEach(() => jest.useRealTimers());

  it('makes one fetch for 100 concurrent callers with no lock configured', async () => {
    const provider = new ControlledProvider();
    const manager = new TokenManager(provider);

    const callers = Array.from({ length: 100 }, () => manager.getToken());
    await settle();
    provider.answer('the-one');
    const tokens = await Promise.all(callers);

    expect(provider.fetches).toBe(1);
    expect(tokens.every((t) => t.accessToken === 'the-one')).toBe(true);
  });

  it('enters a configured lock once for all the callers of the process', async () => {
    const provider = new ControlledProvider();
    const lock = new SharedTestLock();
    const manager = new TokenManager(provider, undefined, { lock });

    const callers = Array.from({ length: 50 }, () => manager.getToken());
    await settle();
    provider.answer('locked');
    await Promise.all(callers);

    expect(lock.entered).toBe(1);
    expect(provider.fetches).toBe(1);
  });

  it('rejects every waiter of a fetch that never settles after fetchTimeoutMs, then fetches anew', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const provider = new ControlledProvider(5_000);
    const manager = new TokenManager(provider);
    const outcomes: unknown[] = [];
    const waiters = Array.from({ length: 20 }, () =>
      manager.getToken().then(
        (t) => outcomes.push(t),
        (e: unknown) => outcomes.push(e),
      ),
    );

    await jest.advanceTimersByTimeAsync(4_999);
    expect(outcomes).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    await Promise.all(waiters);

    expect(outcomes).toHaveLength(20);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(AuthenticationException);
      expect(outcome).toMatchObject({ serviceName: 'controlled-svc' });
      expect((outcome as Error).message).toContain('"controlled-svc"');
    }
    expect(provider.fetches).toBe(1);
    // The provider is told that nobody waits any more, so it can stop its requests.
    expect(provider.signals[0]?.aborted).toBe(true);

    // The stuck fetch is not reused: once the failure backoff (at most 1 s) has passed, the next
    // call starts its own, which can succeed.
    await jest.advanceTimersByTimeAsync(1_000);
    const next = manager.getToken();
    await settle();
    expect(provider.fetches).toBe(2);
    provider.answer('recovered');
    expect((await next).accessToken).toBe('recovered');
  });

  it('bounds a provider that states no worst case at 30 s', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const manager = new TokenManager({
      serviceName: 'silent-svc',
      fetchToken: () => new Promise<TokenData>(() => undefined),
    });
    let settled = false;
    const call = manager.getToken().finally(() => (settled = true));
    call.catch(() => undefined);

    await jest.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(call).rejects.toThrow(AuthenticationException);
  });

  it('tells the provider once per refused token, however many requests report it', async () => {
    const provider = new ControlledProvider();
    const manager = new TokenManager(provider);
    const first = manager.getToken();
    await settle();
    provider.answer('refused-one');
    const refused = await first;

    const reports = Array.from({ length: 30 }, () => manager.invalidate(refused));
    const renewed = manager.getToken();
    await Promise.all(reports);
    await settle();
    provider.answer('second');
    expect((await renewed).accessToken).toBe('second');
    await manager.invalidate(refused); // a late report of the replaced token

    expect(provider.refusals.map((t) => t?.accessToken)).toEqual(['refused-one']);
    expect(provider.fetches).toBe(2);
  });
});
