import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { defer, firstValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ConnectionException,
  HttpStatusException,
  TimeoutException,
} from '../../lib';
import { isCircuitFailure } from '../../lib/retry/circuit-breaker';
import { classifyFailure } from '../../lib/retry/request-failure';
import { ScriptedServer } from '../support/scripted-server';

describe('classifyFailure', () => {
  let server: ScriptedServer;
  const http = new HttpService(axios.create());

  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(() => server.close());

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('reads status, headers, data, method and request headers from an AxiosError', async () => {
    server.reply({ status: 429, headers: { 'Retry-After': '2' }, body: { error: 'slow down' } });
    const error = await errorOf(
      firstValueFrom(
        http.put(server.url('/x'), {}, { headers: { 'Idempotency-Key': 'k1', 'X-Trace': 't' } }),
      ),
    );
    expect(classifyFailure(error)).toMatchObject({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '2' },
      data: { error: 'slow down' },
      method: 'PUT',
      requestHeaders: { 'idempotency-key': 'k1', 'x-trace': 't' },
      isNetwork: false,
    });
  });

  it('reads an axios timeout and a reset connection as no answer', async () => {
    server.reply({ status: 200, delayMs: 1_000 }, 'reset');
    const timeout = await errorOf(firstValueFrom(http.get(server.url('/'), { timeout: 50 })));
    expect(classifyFailure(timeout)).toMatchObject({ kind: 'timeout', isNetwork: true });
    const reset = await errorOf(firstValueFrom(http.get(server.url('/'))));
    expect(classifyFailure(reset)).toMatchObject({ kind: 'network', method: 'GET' });
  });

  it('reads the typed exceptions the client throws', () => {
    const status = new HttpStatusException('GET /x failed', {
      status: 502,
      method: 'get',
      response: { headers: { 'Retry-After': '1' }, data: 'bad gateway' },
    });
    const failure = classifyFailure(status);
    expect(failure).toMatchObject({
      kind: 'status',
      status: 502,
      method: 'GET',
      headers: { 'retry-after': '1' },
      data: 'bad gateway',
    });
    expect(classifyFailure(new ConnectionException('x', { method: 'GET' }))).toMatchObject({
      kind: 'network',
      method: 'GET',
    });
    expect(classifyFailure(new TimeoutException('x'))).toMatchObject({ kind: 'timeout' });
  });

  it('leaves alone what is not a failed exchange', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = await errorOf(
      firstValueFrom(defer(() => http.get(server.url('/'), { signal: controller.signal }))),
    );
    expect(classifyFailure(cancelled)).toBeUndefined();
    expect(classifyFailure(new AuthenticationException('no token', { serviceName: 's' }))).toBe(
      undefined,
    );
    expect(classifyFailure(new Error('hook failed'))).toBeUndefined();
    expect(classifyFailure('text')).toBeUndefined();
  });

  it('counts network errors, timeouts and 5xx (not 4xx) as circuit failures', () => {
    const status = (code: number) =>
      classifyFailure(
        new HttpStatusException('x', { status: code, response: { headers: {}, data: null } }),
      );
    expect(isCircuitFailure(status(500))).toBe(true);
    expect(isCircuitFailure(status(503))).toBe(true);
    expect(isCircuitFailure(status(404))).toBe(false);
    expect(isCircuitFailure(status(429))).toBe(false);
    expect(isCircuitFailure(classifyFailure(new ConnectionException('x')))).toBe(true);
    expect(isCircuitFailure(classifyFailure(new TimeoutException('x')))).toBe(true);
    expect(isCircuitFailure(undefined)).toBe(false);
  });
});
