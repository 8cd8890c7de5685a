import { HttpService } from '@nestjs/axios';
import axios, { AxiosError, AxiosResponse } from 'axios';
import { Observable, defer, firstValueFrom, lastValueFrom } from 'rxjs';
import {
  ExponentialBackoffRetryStrategy,
  HttpStatusException,
  NoRetryStrategy,
  SimpleRetryStrategy,
  retryRequest,
} from '../../lib';
import { ScriptedServer, sleep } from '../support/scripted-server';
import { typedErrors } from './support/typed-errors';

const activeTimers = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('retryRequest on a plain HttpService call', () => {
  let server: ScriptedServer;
  const http = new HttpService(axios.create());
  const fast = (maxRetries = 3) =>
    new ExponentialBackoffRetryStrategy({ maxRetries, baseDelay: 10, jitter: false });

  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(() => server.close());

  const get = (): Observable<AxiosResponse> => defer(() => http.get(server.url('/items')));

  it('succeeds after 503, 503, 200 with three attempts', async () => {
    server.reply({ status: 503 }, { status: 503 }, { status: 200, body: { id: 1 } });
    const response = await firstValueFrom(get().pipe(retryRequest(fast())));
    expect(response.data).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after maxRetries + 1 attempts with a typed error carrying attempts', async () => {
    server.otherwise({ status: 503, body: { error: 'down' } });
    const call = defer(() => http.get(server.url('/items'))).pipe(
      typedErrors('GET'),
      retryRequest(fast(2)),
    );
    const error = await lastValueFrom(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).status).toBe(503);
    expect((error as HttpStatusException).attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it('attaches attempts to the AxiosError of a plain HttpService call', async () => {
    server.otherwise({ status: 500 });
    const error = await firstValueFrom(get().pipe(retryRequest(fast(1)))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError & { attempts: number }).attempts).toBe(2);
  });

  it('does not replay a POST', async () => {
    server.otherwise({ status: 503 });
    const post = defer(() => http.post(server.url('/orders'), { n: 1 }));
    const error = await firstValueFrom(post.pipe(retryRequest(fast()))).catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(503);
    expect((error as { attempts?: number }).attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it('replays a POST that carries an Idempotency-Key', async () => {
    server.reply({ status: 503 }, { status: 201, body: { created: true } });
    const post = defer(() =>
      http.post(server.url('/orders'), { n: 1 }, { headers: { 'Idempotency-Key': 'order-42' } }),
    );
    const response = await firstValueFrom(post.pipe(retryRequest(fast())));
    expect(response.status).toBe(201);
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      'order-42',
      'order-42',
    ]);
  });

  it('retries a GET whose connection was reset', async () => {
    server.reply('reset', { status: 200, body: { ok: true } });
    const response = await firstValueFrom(get().pipe(retryRequest(fast())));
    expect(response.data).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 404 or anything with NoRetryStrategy', async () => {
    server.reply({ status: 404 }, { status: 503 });
    await expect(firstValueFrom(get().pipe(retryRequest(fast())))).rejects.toBeInstanceOf(
      AxiosError,
    );
    await expect(
      firstValueFrom(get().pipe(retryRequest(new NoRetryStrategy()))),
    ).rejects.toBeInstanceOf(AxiosError);
    expect(server.requests).toHaveLength(2);
  });

  it('waits at least the Retry-After seconds of a 429', async () => {
    server.reply({ status: 429, headers: { 'Retry-After': '1' } }, { status: 200 });
    const started = Date.now();
    await firstValueFrom(get().pipe(retryRequest(fast())));
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(server.requests).toHaveLength(2);
  });

  it('caps a Retry-After beyond maxDelay', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    server.reply(
      { status: 503, headers: { 'Retry-After': '3600' } },
      { status: 429, headers: { 'Retry-After': inAnHour } },
      { status: 200 },
    );
    const strategy = new ExponentialBackoffRetryStrategy({ baseDelay: 10, maxDelay: 50 });
    const started = Date.now();
    await firstValueFrom(get().pipe(retryRequest(strategy)));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(3);
  });

  it('waits the fixed delay of SimpleRetryStrategy', async () => {
    server.reply({ status: 502 }, { status: 200 });
    const started = Date.now();
    await firstValueFrom(get().pipe(retryRequest(new SimpleRetryStrategy({ delay: 150 }))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(server.requests).toHaveLength(2);
  });

  it('sends nothing more once unsubscribed during a backoff wait', async () => {
    server.otherwise({ status: 503 });
    const strategy = new ExponentialBackoffRetryStrategy({ baseDelay: 200, jitter: false });
    const subscription = get()
      .pipe(retryRequest(strategy))
      .subscribe({ error: () => undefined });
    await server.waitForRequests(1);
    await sleep(50);
    subscription.unsubscribe();
    await sleep(400);
    expect(server.requests).toHaveLength(1);
  });

  it('clears the backoff timer on unsubscribe', async () => {
    server.otherwise({ status: 503 });
    const strategy = new ExponentialBackoffRetryStrategy({ baseDelay: 5_000, jitter: false });
    const subscription = get()
      .pipe(retryRequest(strategy))
      .subscribe({ error: () => undefined });
    await server.waitForRequests(1);
    await sleep(50);
    const timersDuringBackoff = activeTimers();
    subscription.unsubscribe();
    expect(activeTimers()).toBe(timersDuringBackoff - 1);
  });

  it('starts no retry past deadlineMs and returns the last error', async () => {
    server.otherwise({ status: 503 });
    const strategy = new ExponentialBackoffRetryStrategy({
      maxRetries: 10,
      baseDelay: 100,
      jitter: false,
    });
    const error = await firstValueFrom(
      get().pipe(retryRequest(strategy, { deadlineMs: 250 })),
    ).catch((e: unknown) => e);
    // 0 ms: attempt 1; 100 ms: attempt 2; the next wait (200 ms) would end past 250 ms.
    expect((error as { attempts?: number }).attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('tells onRetry about each retry before waiting', async () => {
    server.reply({ status: 503 }, { status: 504 }, { status: 200 });
    const seen: Array<[number, number | undefined, number]> = [];
    await firstValueFrom(
      get().pipe(
        retryRequest(fast(), {
          onRetry: ({ retry, failure, delayMs }) => seen.push([retry, failure.status, delayMs]),
        }),
      ),
    );
    expect(seen).toEqual([
      [1, 503, 10],
      [2, 504, 20],
    ]);
  });
});
