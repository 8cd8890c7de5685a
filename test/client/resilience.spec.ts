import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  CircuitOpenException,
  ConfigurationException,
  correlationIdHook,
  ForgeClient,
  getForgeClientToken,
  HookContext,
  HttpStatusException,
  RequestForgeModule,
} from '../../lib';
import { json, RecordingServer } from '../support/recording-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

describe.each(TRANSPORTS)('ForgeClient retries and circuit breaker (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  afterEach(closeClients);

  let server: RecordingServer;
  beforeEach(async () => {
    server = await RecordingServer.start();
  });
  afterEach(() => server.close());

  /** Answers the scripted statuses in turn, then 200. */
  const script = (...statuses: number[]) => {
    let i = 0;
    server.handle((_req, res) => {
      const status = statuses[i++] ?? 200;
      json(res, status, { status });
    });
  };

  it('503, 503, 200 → success after 3 attempts; hooks run per attempt with one correlation id', async () => {
    script(503, 503);
    const contexts: HookContext[] = [];
    const client = forge(
      builder()
        .withBaseUrl(server.url)
        .withRetry({ maxRetries: 3, baseDelay: 10, maxDelay: 20 })
        .withHooks(correlationIdHook())
        .withHooks({ beforeRequest: [(_c, ctx) => void contexts.push(ctx)] })
        .build(),
    );
    const response = await lastValueFrom(client.get('/flaky'));
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    expect(contexts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(contexts.map((c) => c.requestId)).size).toBe(1);
    const ids = server.requests.map((r) => r.headers['x-correlation-id']);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBeDefined();

    await lastValueFrom(client.get('/again'));
    expect(server.requests[3].headers['x-correlation-id']).not.toBe(ids[0]);
  });

  it('gives up with the typed error carrying attempts = maxRetries + 1', async () => {
    script(503, 503, 503, 503, 503);
    const client = forge(
      builder()
        .withBaseUrl(server.url)
        .withRetryStrategy({ type: 'simple', maxRetries: 2, delay: 5 })
        .build(),
    );
    const error = await lastValueFrom(client.get('/down')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect((error as HttpStatusException).attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it('does not replay a POST unless it has an Idempotency-Key', async () => {
    const client = forge(
      builder()
        .withBaseUrl(server.url)
        .withRetry({ maxRetries: 2, baseDelay: 5, maxDelay: 5 })
        .build(),
    );
    script(503, 503);
    await expect(lastValueFrom(client.post('/orders', { a: 1 }))).rejects.toBeInstanceOf(
      HttpStatusException,
    );
    expect(server.requests).toHaveLength(1);
    script(503);
    const ok = await lastValueFrom(
      client.post('/orders', { a: 1 }, { headers: { 'Idempotency-Key': 'order-1' } }),
    );
    expect(ok.status).toBe(200);
    expect(server.requests).toHaveLength(3);
  });

  it('opens the circuit after failureThreshold failures and sends nothing while open', async () => {
    script(500, 500, 500);
    const client = forge(
      builder()
        .withBaseUrl(server.url)
        .withCircuitBreaker({ failureThreshold: 3, recoveryTimeout: 60_000 })
        .build(),
      undefined,
      'fragile',
    );
    for (let i = 0; i < 3; i++) {
      await expect(lastValueFrom(client.get('/x'))).rejects.toBeInstanceOf(HttpStatusException);
    }
    const error = await lastValueFrom(client.get('/x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenException);
    expect((error as CircuitOpenException).clientName).toBe('fragile');
    expect(server.requests).toHaveLength(3);
  });

  it('module options take retry and circuit breaker in plain form and validate them', async () => {
    script(502);
    let moduleRef: TestingModule | undefined = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            plain: {
              baseUrl: server.url,
              transport,
              retry: {
                type: 'exponential',
                maxRetries: 2,
                baseDelay: 5,
                maxDelay: 10,
                jitter: false,
              },
              circuitBreaker: { failureThreshold: 10 },
            },
          },
        }),
      ],
    }).compile();
    const client = moduleRef.get<ForgeClient>(getForgeClientToken('plain'));
    expect((await lastValueFrom(client.get('/p'))).status).toBe(200);
    expect(server.requests).toHaveLength(2);
    await moduleRef.close();
    moduleRef = undefined;

    const error = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: { bad: { baseUrl: server.url, retry: { type: 'exponential', maxRetries: -1 } } },
        }),
      ],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationException);
    expect((error as Error).message).toContain('retry.maxRetries');
    expect((error as Error).message).toContain('bad');
  });
});
