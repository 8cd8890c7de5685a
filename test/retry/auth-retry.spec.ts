import { HttpService } from '@nestjs/axios';
import axios, { AxiosError } from 'axios';
import { IncomingMessage, ServerResponse } from 'node:http';
import { firstValueFrom } from 'rxjs';
import {
  ConditionalAuthRetryStrategy,
  ConfigurationException,
  ExponentialAuthRetryStrategy,
  HttpStatusException,
  SimpleAuthRetryStrategy,
  authRetry,
} from '../../lib';
import { ScriptedServer } from '../support/scripted-server';
import { RotatingTokenManager } from './support/rotating-token-manager';
import { tokenAuthorizedGet } from './support/token-authorized-get';
import { typedErrors } from './support/typed-errors';

/** Accepts only `Bearer <valid>`; anything else gets a 401 with `body`. */
function acceptOnly(valid: string, body: unknown = { error: 'invalid_token' }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const ok = req.headers.authorization === `Bearer ${valid}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { ok: true } : body));
  };
}

describe('authRetry on a plain HttpService observable', () => {
  let server: ScriptedServer;
  let tokenManager: RotatingTokenManager;
  const http = new HttpService(axios.create());

  beforeEach(async () => {
    server = await ScriptedServer.start();
    tokenManager = new RotatingTokenManager();
  });
  afterEach(() => server.close());

  const getWithToken = () => tokenAuthorizedGet(http, tokenManager, server.url('/me'));

  it('invalidates the refused token and succeeds with a new one', async () => {
    server.otherwise(acceptOnly('token-2'));
    const strategy = new SimpleAuthRetryStrategy();
    const response = await firstValueFrom(
      getWithToken().pipe(authRetry({ strategy, tokenManager })),
    );
    expect(response.data).toEqual({ ok: true });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(tokenManager.invalidated.map((t) => t?.accessToken)).toEqual(['token-1']);
  });

  it('gives up after maxRetries with the last 401 and its attempts', async () => {
    server.otherwise(acceptOnly('never'));
    const call = getWithToken().pipe(authRetry({ tokenManager }));
    const error = await firstValueFrom(call).catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect((error as { attempts?: number }).attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries a 401 that says insufficient_scope', async () => {
    server.otherwise({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"' },
    });
    const strategy = new SimpleAuthRetryStrategy({ maxRetries: 3 });
    const error = await firstValueFrom(
      getWithToken().pipe(authRetry({ strategy, tokenManager })),
    ).catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(server.requests).toHaveLength(1);
    expect(tokenManager.invalidated).toHaveLength(0);
  });

  it('leaves other statuses alone', async () => {
    server.otherwise({ status: 403 });
    await expect(
      firstValueFrom(getWithToken().pipe(authRetry({ tokenManager }))),
    ).rejects.toBeInstanceOf(AxiosError);
    expect(server.requests).toHaveLength(1);
  });

  it('backs off exponentially between auth retries', async () => {
    server.otherwise(acceptOnly('token-3'));
    const strategy = new ExponentialAuthRetryStrategy({ baseDelay: 40, jitter: false });
    const started = Date.now();
    await firstValueFrom(getWithToken().pipe(authRetry({ strategy, tokenManager })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(40 + 80 - 5);
    expect(server.requests).toHaveLength(3);
  });

  it('awaits onUnauthorized before sending again', async () => {
    server.otherwise(acceptOnly('token-2'));
    const calls: number[] = [];
    const onUnauthorized = async (error: unknown, retry: number) => {
      calls.push(server.requests.length);
      expect((error as AxiosError).response?.status).toBe(401);
      expect(retry).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await tokenManager.invalidate();
    };
    await firstValueFrom(getWithToken().pipe(authRetry({ onUnauthorized })));
    expect(calls).toEqual([1]);
    expect(server.requests).toHaveLength(2);
  });

  it('hands the caller an error thrown by onUnauthorized', async () => {
    server.otherwise({ status: 401 });
    const broken = new Error('cannot invalidate');
    const call = getWithToken().pipe(authRetry({ onUnauthorized: () => Promise.reject(broken) }));
    await expect(firstValueFrom(call)).rejects.toBe(broken);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses both a tokenManager and an onUnauthorized callback', () => {
    expect(() => authRetry({ tokenManager, onUnauthorized: () => undefined })).toThrow(
      ConfigurationException,
    );
  });

  it('recognises the typed HttpStatusException the client throws', async () => {
    server.otherwise(acceptOnly('token-2'));
    const invalidations: number[] = [];
    const call = getWithToken().pipe(
      typedErrors('GET'),
      authRetry({
        onUnauthorized: () => tokenManager.invalidate().then(() => invalidations.push(1)),
      }),
    );
    await expect(firstValueFrom(call)).resolves.toMatchObject({ status: 200 });
    expect(invalidations).toEqual([1]);

    server.otherwise(acceptOnly('never'));
    const error = await firstValueFrom(
      getWithToken().pipe(typedErrors('GET'), authRetry({ tokenManager })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).attempts).toBe(2);
  });
});

describe('ConditionalAuthRetryStrategy', () => {
  let server: ScriptedServer;
  let tokenManager: RotatingTokenManager;
  const http = new HttpService(axios.create());
  const strategy = new ConditionalAuthRetryStrategy({
    shouldRetry: (response) => (response.data as { error?: string })?.error === 'token_expired',
  });

  beforeEach(async () => {
    server = await ScriptedServer.start();
    tokenManager = new RotatingTokenManager();
  });
  afterEach(() => server.close());

  const call = () =>
    tokenAuthorizedGet(http, tokenManager, server.url('/me')).pipe(
      authRetry({ strategy, tokenManager }),
    );

  it('retries when the body says token_expired', async () => {
    server.otherwise(acceptOnly('token-2', { error: 'token_expired' }));
    await expect(firstValueFrom(call())).resolves.toMatchObject({ status: 200 });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry when the body says anything else', async () => {
    server.otherwise(acceptOnly('token-2', { error: 'invalid_token' }));
    const error = await firstValueFrom(call()).catch((e: unknown) => e);
    expect((error as AxiosError).response?.status).toBe(401);
    expect(server.requests).toHaveLength(1);
    expect(tokenManager.invalidated).toHaveLength(0);
  });
});
