import { HttpService } from '@nestjs/axios';
import axios, { AxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import {
  CircuitBreaker,
  CircuitOpenException,
  ExponentialBackoffRetryStrategy,
  HttpStatusException,
  SimpleAuthRetryStrategy,
  resilience,
} from '../../lib';
import { ScriptedServer } from '../support/scripted-server';
import { RotatingTokenManager } from './support/rotating-token-manager';
import { tokenAuthorizedGet } from './support/token-authorized-get';
import { typedErrors } from './support/typed-errors';

describe('resilience: auth retry, request retry and circuit breaker composed', () => {
  let server: ScriptedServer;
  let tokenManager: RotatingTokenManager;
  const http = new HttpService(axios.create());
  const retry = new ExponentialBackoffRetryStrategy({ baseDelay: 10, jitter: false });

  beforeEach(async () => {
    server = await ScriptedServer.start();
    tokenManager = new RotatingTokenManager();
  });
  afterEach(() => server.close());

  const call = () => tokenAuthorizedGet(http, tokenManager, server.url('/data'));

  it('retries a 503 and then a 401 within one call', async () => {
    server.reply({ status: 503 }, { status: 401 }, { status: 200, body: { ok: true } });
    const response = await firstValueFrom(
      call().pipe(resilience({ authRetry: { tokenManager }, retry })),
    );
    expect(response.data).toEqual({ ok: true });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('counts every request of the call in the final attempts', async () => {
    // 503 (retried) → 401 (auth retried) → 401: the auth retries are spent, a 401 is not transient.
    server.reply({ status: 503 }, { status: 401 }, { status: 401 });
    const error = await firstValueFrom(
      call().pipe(typedErrors('GET'), resilience({ authRetry: { tokenManager }, retry })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).status).toBe(401);
    expect((error as HttpStatusException).attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it('bounds auth and transient retries together with one deadline', async () => {
    server.reply({ status: 503 }, { status: 401 });
    server.otherwise({ status: 503 });
    // Waits of 300 ms leave room for slow requests on a loaded machine.
    const strategy = new SimpleAuthRetryStrategy({ maxRetries: 5, delay: 300 });
    const slowRetry = new ExponentialBackoffRetryStrategy({
      maxRetries: 10,
      baseDelay: 300,
      jitter: false,
    });
    const started = Date.now();
    const error = await firstValueFrom(
      call().pipe(
        resilience({ authRetry: { strategy, tokenManager }, retry: slowRetry, deadlineMs: 750 }),
      ),
    ).catch((e: unknown) => e);
    // 0: 503, ~300: 401, ~600: 503; the next transient wait (600 ms) would end past 750 ms.
    expect((error as AxiosError).response?.status).toBe(503);
    expect((error as { attempts?: number }).attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
  });

  it('measures the deadline from the start of the call, not of each retry round', async () => {
    server.reply({ status: 503 }, { status: 401 });
    const strategy = new SimpleAuthRetryStrategy({ delay: 150 });
    const slowRetry = new ExponentialBackoffRetryStrategy({ baseDelay: 100, jitter: false });
    const error = await firstValueFrom(
      call().pipe(
        resilience({ authRetry: { strategy, tokenManager }, retry: slowRetry, deadlineMs: 200 }),
      ),
    ).catch((e: unknown) => e);
    // 0: 503, ~100: 401; the auth wait would end at ~250 ms: past the call's deadline (200 ms),
    // though within 200 ms of the retry round that got the 401.
    expect((error as AxiosError).response?.status).toBe(401);
    expect((error as { attempts?: number }).attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(tokenManager.invalidated).toHaveLength(0);
  });

  it('fails fast once the circuit opens, sending nothing', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    server.otherwise({ status: 500 });
    const noRetry = new ExponentialBackoffRetryStrategy({ maxRetries: 1, baseDelay: 5 });
    const guarded = () =>
      firstValueFrom(call().pipe(resilience({ retry: noRetry, circuitBreaker: breaker })));
    await expect(guarded()).rejects.toBeInstanceOf(AxiosError);
    await expect(guarded()).rejects.toBeInstanceOf(CircuitOpenException);
    expect(server.requests).toHaveLength(2);
  });
});
