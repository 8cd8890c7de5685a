import { Test } from '@nestjs/testing';
import axios, { AxiosError, InternalAxiosRequestConfig } from 'axios';
import { ServerResponse } from 'node:http';
import { firstValueFrom } from 'rxjs';
import {
  ConnectionException,
  ForgeClient,
  getForgeClientToken,
  HttpStatusException,
  RequestForgeModule,
  TimeoutException,
  TokenData,
  TokenManager,
  TokenProvider,
} from '../../lib';
import { ScriptedServer } from '../support/scripted-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

/** Sends headers at once, then one byte every 100 ms, never ending the body. */
function trickle(_req: unknown, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"items": [');
  const timer = setInterval(() => res.write(' '), 100);
  res.on('close', () => clearInterval(timer));
}

/** Promises 1000 bytes, sends 11, then destroys the socket. */
function resetMidBody(_req: unknown, res: ServerResponse): void {
  res.writeHead(200, { 'content-length': '1000', 'content-type': 'text/plain' });
  res.write('hello world');
  setTimeout(() => res.socket?.destroy(), 20);
}

class CountingProvider implements TokenProvider {
  readonly serviceName = 'counting';
  fetches = 0;

  async fetchToken(): Promise<TokenData> {
    this.fetches += 1;
    return new TokenData({
      accessToken: `token-${this.fetches}`,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
  }
}

describe.each(TRANSPORTS)('ForgeClient against hostile servers (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  afterEach(closeClients);

  let api: ScriptedServer;
  let other: ScriptedServer;

  beforeEach(async () => {
    api = await ScriptedServer.start();
    other = await ScriptedServer.start();
  });
  afterEach(async () => {
    await api.close();
    await other.close();
  });

  it('ends a call whose body trickles with a TimeoutException after the timeout', async () => {
    api.otherwise(trickle);
    const client = forge(builder().withBaseUrl(api.url()).withTimeout(1_500).build());
    const started = Date.now();
    const error = await firstValueFrom(client.get('/slow-body')).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(TimeoutException);
    expect((error as TimeoutException).timeout).toBe(1_500);
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(2_500);
  });

  it('ends a trickling body after the timeout when the caller passes its own cancelToken or signal', async () => {
    api.otherwise(trickle);
    const client = forge(builder().withBaseUrl(api.url()).withTimeout(1_000).build());
    const cancelToken = axios.CancelToken.source().token;
    const signal = new AbortController().signal;
    for (const own of [{ cancelToken }, { signal }]) {
      const started = Date.now();
      const error = await firstValueFrom(client.get('/slow-body', own)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutException);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it.each(['cancelToken', 'signal'])(
    'cancels a call in flight through its own %s, the cancel holding nothing of the request',
    async (how) => {
      api.otherwise(trickle);
      const client = forge(builder().withBaseUrl(api.url()).withTimeout(10_000).build());
      const source = axios.CancelToken.source();
      const controller = new AbortController();
      const own = how === 'signal' ? { signal: controller.signal } : { cancelToken: source.token };
      const call = firstValueFrom(client.get('/slow-body', own));
      await api.waitForRequests(1);
      source.cancel('caller gave up');
      controller.abort();
      const error = await call.catch((e: unknown) => e);
      expect(axios.isCancel(error)).toBe(true);
      if (how === 'cancelToken') expect((error as Error).message).toBe('caller gave up');
      // The request's config holds the credential: none of it rides along.
      expect((error as AxiosError).config).toBeUndefined();
      expect((error as AxiosError).request).toBeUndefined();
    },
  );

  it('fails a redirect loop once: not retried, not counted by the circuit breaker', async () => {
    api.otherwise((_req, res) => {
      res.writeHead(302, { location: '/again' });
      res.end();
    });
    const client = forge(
      builder()
        .withBaseUrl(api.url())
        .withRetryStrategy({ type: 'simple', maxRetries: 2, delay: 0 })
        .withCircuitBreaker({ failureThreshold: 1, recoveryTimeout: 60_000 })
        .build(),
    );
    const error = await firstValueFrom(client.get('/loop')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionException);
    expect(error).toMatchObject({ code: 'ERR_FR_TOO_MANY_REDIRECTS', attempts: 1 });
    expect(api.requests).toHaveLength(22); // the first request and axios' 21 redirects
    // Had the breaker counted it, this call would not be sent.
    await firstValueFrom(client.get('/loop')).catch(() => undefined);
    expect(api.requests).toHaveLength(44);
  });

  it('fails a request whose header name is no HTTP token at once: nothing sent, not retried', async () => {
    const client = forge(
      builder()
        .withBaseUrl(api.url())
        .withRetryStrategy({ type: 'simple', maxRetries: 2, delay: 0 })
        .build(),
    );
    const call = firstValueFrom(client.get('/x', { headers: { 'Bad Name': 'v' } }));
    const error = await call.catch((e: unknown) => e);
    // Both transports answer alike: Node's http refuses it with a TypeError, undici with its own.
    expect(error).toBeInstanceOf(ConnectionException);
    expect(error).toMatchObject({ attempts: 1 });
    expect((error as ConnectionException).code).toMatch(
      /^(ERR_INVALID_HTTP_TOKEN|UND_ERR_INVALID_ARG)$/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it('reports a body cut off mid-way as a ConnectionException, retries it and counts it as a failure', async () => {
    api.reply(resetMidBody, resetMidBody).otherwise({ status: 200, body: { ok: true } });
    const client = forge(
      builder()
        .withBaseUrl(api.url())
        .withRetryStrategy({ type: 'simple', maxRetries: 1, delay: 0 })
        .withCircuitBreaker({ failureThreshold: 1, recoveryTimeout: 60_000 })
        .build(),
    );
    const error = await firstValueFrom(client.get('/cut')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionException);
    expect(error).not.toBeInstanceOf(HttpStatusException);
    expect((error as ConnectionException).attempts).toBe(2);
    expect(api.requests).toHaveLength(2);
    // One failed call opened the breaker: the next call is not sent.
    await expect(firstValueFrom(client.get('/cut'))).rejects.toMatchObject({
      name: 'CircuitOpenException',
    });
    expect(api.requests).toHaveLength(2);
  });

  it('retries a POST made replayable by an Idempotency-Key a hook added', async () => {
    api.reply({ status: 503 }).otherwise({ status: 201, body: { created: true } });
    const client = forge(
      builder()
        .withBaseUrl(api.url())
        .withRetryStrategy({ type: 'simple', maxRetries: 2, delay: 0 })
        .withHooks({
          beforeRequest: [
            (config) => ({ ...config, headers: { ...config.headers, 'Idempotency-Key': 'k-1' } }),
          ],
        })
        .build(),
    );
    const response = await firstValueFrom(client.post('/orders', { id: 1 }));
    expect(response.status).toBe(201);
    expect(api.requests.map((r) => r.headers['idempotency-key'])).toEqual(['k-1', 'k-1']);
  });

  it('keeps the token when a redirect to another origin answers 401: nothing invalidated, nothing retried', async () => {
    api.otherwise({ status: 302, headers: { location: other.url('/elsewhere') } });
    other.otherwise({ status: 401, headers: { 'www-authenticate': 'Bearer' } });
    const provider = new CountingProvider();
    const manager = new TokenManager(provider);
    const client = forge(builder().withBaseUrl(api.url()).withTokenAuth(manager).build());
    const error = await firstValueFrom(client.get('/moved')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).status).toBe(401);
    expect(api.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0].headers.authorization).toBeUndefined();
    expect(provider.fetches).toBe(1);
    expect((await manager.getToken()).accessToken).toBe('token-1');
  });

  describe('with an interceptor on the global axios', () => {
    const seen: string[] = [];
    let interceptor: number;

    beforeEach(() => {
      seen.length = 0;
      interceptor = axios.interceptors.request.use((config: InternalAxiosRequestConfig) => {
        seen.push(String(config.headers?.Authorization ?? config.url));
        return config;
      });
    });
    afterEach(() => axios.interceptors.request.eject(interceptor));

    it('never shows it a request of a module client or a standalone client', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          RequestForgeModule.forRoot({
            clients: {
              billing: { baseUrl: api.url(), transport, auth: { type: 'bearer', token: 's3cr3t' } },
            },
          }),
        ],
      }).compile();
      const client = moduleRef.get<ForgeClient>(getForgeClientToken('billing'));
      await firstValueFrom(client.get('/invoices'));
      const standalone = forge(builder().withBaseUrl(api.url()).withBearerToken('s3cr3t').build());
      await firstValueFrom(standalone.get('/invoices'));
      await moduleRef.close();
      expect(api.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer s3cr3t',
        'Bearer s3cr3t',
      ]);
      expect(seen).toEqual([]);
    });
  });
});
