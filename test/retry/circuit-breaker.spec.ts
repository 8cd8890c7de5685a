import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { defer, lastValueFrom } from 'rxjs';
import {
  CircuitBreaker,
  CircuitOpenException,
  ConfigurationException,
  ExponentialBackoffRetryStrategy,
  circuitBreaker,
  retryRequest,
} from '../../lib';
import { ScriptedServer, sleep } from '../support/scripted-server';

describe('circuitBreaker', () => {
  let server: ScriptedServer;
  let now: number;
  const clock = () => now;
  const http = new HttpService(axios.create());

  beforeEach(async () => {
    server = await ScriptedServer.start();
    now = 1_000_000;
  });
  afterEach(() => server.close());

  // Wide enough for the 100 ms probe below on a loaded machine, short of the 1 s "no answer".
  const call = (breaker: CircuitBreaker, url = server.url('/status')) =>
    lastValueFrom(defer(() => http.get(url, { timeout: 600 })).pipe(circuitBreaker(breaker)));
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (e: unknown) => e,
    );

  it('fails the 6th call after 5 failures without sending it, then probes and closes', async () => {
    const breaker = new CircuitBreaker({ recoveryTimeout: 30_000, now: clock, name: 'billing' });
    server.reply(...Array.from({ length: 5 }, () => ({ status: 503 })));
    for (let i = 0; i < 5; i++) await outcome(call(breaker));
    expect(breaker.state).toBe('open');

    const sixth = await outcome(call(breaker));
    expect(sixth).toBeInstanceOf(CircuitOpenException);
    expect((sixth as CircuitOpenException).retryAt).toBe(now + 30_000);
    expect((sixth as CircuitOpenException).clientName).toBe('billing');
    expect(server.requests).toHaveLength(5);

    now += 29_999;
    await expect(call(breaker)).rejects.toBeInstanceOf(CircuitOpenException);
    now += 1;
    expect(breaker.state).toBe('half-open');
    server.reply({ status: 200, delayMs: 100 });
    const probe = outcome(call(breaker));
    await server.waitForRequests(6);
    await expect(call(breaker)).rejects.toBeInstanceOf(CircuitOpenException);
    expect(await probe).toBe('ok');
    expect(server.requests).toHaveLength(6);
    expect(breaker.state).toBe('closed');

    await expect(call(breaker)).resolves.toMatchObject({ status: 200 });
    expect(server.requests).toHaveLength(7);
  });

  it('opens again when the probe fails', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, recoveryTimeout: 1_000, now: clock });
    server.otherwise({ status: 500 });
    await outcome(call(breaker));
    await outcome(call(breaker));
    now += 1_000;
    await expect(call(breaker)).rejects.toHaveProperty('response.status', 500);
    expect(breaker.state).toBe('open');
    await expect(call(breaker)).rejects.toBeInstanceOf(CircuitOpenException);
    expect(server.requests).toHaveLength(3);
  });

  it('does not count 4xx answers as failures', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, now: clock });
    server.otherwise({ status: 404 });
    for (let i = 0; i < 4; i++) await outcome(call(breaker));
    expect(breaker.state).toBe('closed');
    expect(server.requests).toHaveLength(4);
  });

  it('counts refused connections and timeouts', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, now: clock });
    const refused = await outcome(call(breaker, `http://127.0.0.1:${await closedPort()}/`));
    expect(refused).toHaveProperty('code', 'ECONNREFUSED');
    server.reply({ status: 200, delayMs: 1_000 });
    const timedOut = await outcome(call(breaker));
    expect(timedOut).toHaveProperty('code', 'ECONNABORTED');
    expect(breaker.state).toBe('open');
  });

  it('counts a call once, retries included, when placed outside retryRequest', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, now: clock });
    const retries = new ExponentialBackoffRetryStrategy({ maxRetries: 2, baseDelay: 5 });
    server.otherwise({ status: 503 });
    const guarded = () =>
      lastValueFrom(
        defer(() => http.get(server.url('/'))).pipe(retryRequest(retries), circuitBreaker(breaker)),
      );
    await outcome(guarded());
    expect(breaker.state).toBe('closed');
    await outcome(guarded());
    expect(breaker.state).toBe('open');
    await expect(guarded()).rejects.toBeInstanceOf(CircuitOpenException);
    expect(server.requests).toHaveLength(6);
  });

  it('frees the probe slot when the probe is unsubscribed', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeout: 10, now: clock });
    server.reply({ status: 500 }, { status: 200, delayMs: 1_000 });
    await outcome(call(breaker));
    now += 10;
    const probe = defer(() => http.get(server.url('/')))
      .pipe(circuitBreaker(breaker))
      .subscribe({ error: () => undefined });
    await server.waitForRequests(2);
    probe.unsubscribe();
    await sleep(10);
    expect(breaker.state).toBe('half-open');
    await expect(call(breaker)).resolves.toMatchObject({ status: 200 });
    expect(breaker.state).toBe('closed');
  });

  it('rejects options it cannot work with, naming the field', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(ConfigurationException);
    expect(() => new CircuitBreaker({ recoveryTimeout: -1 })).toThrow(/recoveryTimeout/);
    expect(() => new CircuitBreaker({ halfOpenMaxCalls: 1.5 })).toThrow(/halfOpenMaxCalls/);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
