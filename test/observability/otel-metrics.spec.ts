import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ForgeClientOptions,
  ForgeClientRegistry,
  RequestForgeModule,
} from '../../lib';
import { FakeProtectedApi, FakeTokenEndpoint } from '../../lib/testing';
import { observeTokenFetch } from '../../lib/observability/token-fetch.observer';
import { TokenData } from '../../lib/tokens/token-data';
import { OtelRecorder } from '../support/otel-recorder';
import { ScriptedServer } from '../support/scripted-server';

const SECRET = 'client-secret-never-in-telemetry';
const CLIENT = 'request_forge.client';

describe('OpenTelemetry metrics and spans', () => {
  let otel: OtelRecorder;
  let tokens: FakeTokenEndpoint;
  let api: FakeProtectedApi;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    otel = OtelRecorder.register();
    tokens = await FakeTokenEndpoint.start({ clients: { 'metrics-app': SECRET } });
    api = await FakeProtectedApi.start(tokens);
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    tokens.reset();
    api.requests.length = 0;
  });
  afterAll(async () => {
    await Promise.all([tokens.close(), api.close()]);
    await otel.shutdown();
  });

  async function clientNamed(name: string, options: Partial<ForgeClientOptions> = {}) {
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            [name]: {
              baseUrl: api.url,
              auth: {
                type: 'client-credentials',
                tokenUrl: tokens.tokenUrl,
                clientId: 'metrics-app',
                clientSecret: SECRET,
              },
              // Each failure here is followed at once by the next call: no pause between fetches.
              failureBackoff: { initial: 0, max: 0 },
              ...options,
            },
          },
        }),
      ],
    }).compile();
    return moduleRef.get(ForgeClientRegistry).get(name);
  }

  it('records one token request, one duration, one span and miss/coalesced answers for 5 concurrent calls on a cold cache', async () => {
    const client = await clientNamed('cold');

    await Promise.all(Array.from({ length: 5 }, () => lastValueFrom(client.get('/orders'))));

    const requests = await otel.points('request_forge.token.requests');
    expect(requests.filter((p) => p.attributes[CLIENT] === 'cold')).toEqual([
      {
        name: 'request_forge.token.requests',
        attributes: { [CLIENT]: 'cold', outcome: 'success' },
        value: 1,
      },
    ]);
    expect(await otel.sum('request_forge.token.cache', { [CLIENT]: 'cold', result: 'miss' })).toBe(
      1,
    );
    expect(
      await otel.sum('request_forge.token.cache', { [CLIENT]: 'cold', result: 'coalesced' }),
    ).toBe(4);
    expect(await otel.sum('request_forge.token.fetch.duration', { [CLIENT]: 'cold' })).toBe(1);
    const spans = otel.spans().filter((s) => s.attributes[CLIENT] === 'cold');
    expect(spans.map((s) => [s.name, s.status.code])).toEqual([
      ['request_forge.token.fetch', SpanStatusCode.UNSET],
    ]);

    await lastValueFrom(client.get('/orders'));
    expect(await otel.sum('request_forge.token.cache', { [CLIENT]: 'cold', result: 'hit' })).toBe(
      1,
    );
  });

  it('counts one auth retry when the API refuses a revoked token', async () => {
    const client = await clientNamed('revoked');
    await lastValueFrom(client.get('/orders'));
    tokens.revoke(api.requests.at(-1)!.accessToken!);

    await lastValueFrom(client.get('/orders'));

    expect(await otel.sum('request_forge.auth.retries', { [CLIENT]: 'revoked' })).toBe(1);
    expect(
      await otel.sum('request_forge.token.requests', { [CLIENT]: 'revoked', outcome: 'success' }),
    ).toBe(2);
  });

  it('records a refused token request with its RFC 6749 error and an error span', async () => {
    tokens.failNext(1, {
      status: 401,
      body: { error: 'invalid_client', error_description: `bad secret ${SECRET}` },
    });
    const client = await clientNamed('refused');

    await expect(lastValueFrom(client.get('/orders'))).rejects.toBeInstanceOf(
      AuthenticationException,
    );

    const requests = await otel.points('request_forge.token.requests');
    expect(requests.filter((p) => p.attributes[CLIENT] === 'refused')).toEqual([
      {
        name: 'request_forge.token.requests',
        attributes: { [CLIENT]: 'refused', outcome: 'failure', error: 'invalid_client' },
        value: 1,
      },
    ]);
    const [span] = otel.spans().filter((s) => s.attributes[CLIENT] === 'refused');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'invalid_client' });
  });

  it('counts request retries and circuit transitions', async () => {
    const flaky = await ScriptedServer.start();
    try {
      flaky.reply({ status: 503 }, { status: 503 });
      const client = await clientNamed('flaky', {
        baseUrl: flaky.url(),
        auth: { type: 'bearer', token: 'static-token-value' },
        retry: { type: 'simple', maxRetries: 1, delay: 0 },
        circuitBreaker: { failureThreshold: 1, recoveryTimeout: 50 },
      });
      await expect(lastValueFrom(client.get('/x'))).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 60));
      await lastValueFrom(client.get('/x'));

      expect(await otel.sum('request_forge.request.retries', { [CLIENT]: 'flaky' })).toBe(1);
      const transitions = async (state: string) =>
        otel.sum('request_forge.circuit.transitions', { [CLIENT]: 'flaky', state });
      expect([await transitions('open'), await transitions('half-open')]).toEqual([1, 1]);
      expect(await transitions('closed')).toBe(1);
    } finally {
      await flaky.close();
    }
  });

  it('puts no secret in any attribute, span name, status or event', async () => {
    tokens.failNext(1, { status: 400, body: { error: `invalid_${SECRET}` } });
    const client = await clientNamed('secrets');
    await expect(lastValueFrom(client.get('/orders'))).rejects.toThrow();
    await lastValueFrom(client.get('/orders'));

    const secrets = [SECRET, ...api.requests.map((r) => r.accessToken ?? SECRET)];
    const recorded = JSON.stringify([
      await otel.points(),
      otel.spans().map((s) => [s.name, s.attributes, s.status, s.events]),
    ]);

    expect(recorded).toContain('request_forge.token.fetch');
    for (const secret of secrets) expect(recorded).not.toContain(secret);
  });

  it('records a token endpoint that never answers as a timeout, one that is not there as network', async () => {
    const silent = createServer(() => undefined); // takes each request and never answers it
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/token`;
    await new Promise((resolve) => closed.close(resolve));
    try {
      for (const [name, tokenUrl] of [
        ['silent', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/token`],
        ['absent', closedUrl],
      ]) {
        const client = await clientNamed(name, {
          auth: {
            type: 'client-credentials',
            tokenUrl,
            clientId: 'c',
            clientSecret: SECRET,
            timeout: 200,
          },
        });
        await expect(lastValueFrom(client.get('/orders'))).rejects.toBeInstanceOf(
          AuthenticationException,
        );
        await moduleRef?.close();
        moduleRef = undefined;
      }
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }

    const requests = await otel.points('request_forge.token.requests');
    const codes = (client: string) =>
      requests.filter((p) => p.attributes[CLIENT] === client).map((p) => p.attributes.error);
    expect(codes('silent')).toEqual(['timeout']);
    expect(codes('absent')).toEqual(['network']);
    const status = (client: string) =>
      otel.spans().find((s) => s.attributes[CLIENT] === client)?.status;
    expect(status('silent')).toEqual({ code: SpanStatusCode.ERROR, message: 'timeout' });
    expect(status('absent')).toEqual({ code: SpanStatusCode.ERROR, message: 'network' });
  });

  it('counts each pipeline step fetch once as a token request naming the step, failures with their code', async () => {
    const refused = new AuthenticationException('step refused', {
      serviceName: 'steps',
      error: 'invalid_grant',
    });
    let calls = 0;
    const fetcher = {
      name: 'session',
      fetch: async () => {
        calls += 1;
        if (calls === 1) throw refused;
        return new TokenData({ accessToken: 'step-token' });
      },
    };

    const fetchStep = () => observeTokenFetch('steps', fetcher.fetch, fetcher.name);
    await expect(fetchStep()).rejects.toBe(refused);
    await expect(fetchStep()).resolves.toBeInstanceOf(TokenData);

    const step = { [CLIENT]: 'steps', 'request_forge.step': 'session' };
    const requests = await otel.points('request_forge.token.requests');
    expect(requests.filter((p) => p.attributes[CLIENT] === 'steps')).toEqual(
      expect.arrayContaining([
        {
          name: 'request_forge.token.requests',
          attributes: { ...step, outcome: 'success' },
          value: 1,
        },
        {
          name: 'request_forge.token.requests',
          attributes: { ...step, outcome: 'failure', error: 'invalid_grant' },
          value: 1,
        },
      ]),
    );
    expect(requests.filter((p) => p.attributes[CLIENT] === 'steps')).toHaveLength(2);
    expect(await otel.sum('request_forge.token.fetch.duration', step)).toBe(2);
  });
});
