import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AxiosRequestConfig, AxiosResponse } from 'axios';
import { lastValueFrom } from 'rxjs';
import {
  correlationIdHook,
  ForgeClient,
  ForgeHook,
  getForgeClientToken,
  HookContext,
  HttpClientConfigBuilder,
  HttpStatusException,
  rateLimitHook,
  RequestForgeModule,
} from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { json, RecordingServer } from '../support/recording-server';

describe('hooks', () => {
  let server: RecordingServer;
  const logs = useLogCapture();

  beforeEach(async () => {
    server = await RecordingServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  const builder = () => new HttpClientConfigBuilder().withBaseUrl(server.url);

  it('runs hooks in registration order with a context per attempt', async () => {
    const calls: string[] = [];
    const contexts: HookContext[] = [];
    const client = new ForgeClient(
      builder()
        .withHooks({
          beforeRequest: [
            (config, ctx) => {
              calls.push('before-1');
              contexts.push(ctx);
              return { ...config, headers: { ...config.headers, 'X-Step': '1' } };
            },
            (config) => {
              calls.push(`before-2 saw ${(config.headers as Record<string, string>)['X-Step']}`);
            },
          ],
          afterResponse: [() => void calls.push('after-1')],
        })
        .withHooks({ afterResponse: [() => void calls.push('after-2')] })
        .build(),
      undefined,
      'ordered',
    );
    await lastValueFrom(client.get('/a'));
    expect(calls).toEqual(['before-1', 'before-2 saw 1', 'after-1', 'after-2']);
    expect(server.requests[0].headers['x-step']).toBe('1');
    expect(contexts[0]).toMatchObject({ clientName: 'ordered', attempt: 1, authAttempt: 0 });
    expect(contexts[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("names a client by its builder's name, in hook contexts and errors, unless given another", async () => {
    const seen: string[] = [];
    const named = new HttpClientConfigBuilder('orders')
      .withBaseUrl(server.url)
      .withHooks({ beforeRequest: [(_config, ctx) => void seen.push(ctx.clientName)] })
      .build();
    server.handle((_req, res) => json(res, 500, { error: 'boom' }));

    const error = await lastValueFrom(new ForgeClient(named).get('/a')).catch((e: unknown) => e);
    expect(seen).toEqual(['orders']);
    expect(error).toMatchObject({ clientName: 'orders' });
    expect(new ForgeClient(named).name).toBe('orders');
    expect(new ForgeClient(named, undefined, 'billing').name).toBe('billing');
    expect(new ForgeClient(builder().build()).name).toBeUndefined();
  });

  it('a throwing beforeRequest aborts the call with its error and sends nothing', async () => {
    const refusal = new Error('not allowed today');
    const client = new ForgeClient(
      builder()
        .withHooks({
          beforeRequest: [
            () => {
              throw refusal;
            },
          ],
        })
        .build(),
    );
    await expect(lastValueFrom(client.get('/x'))).rejects.toBe(refusal);
    expect(server.requests).toHaveLength(0);
  });

  it('a throwing afterResponse is logged and the response is still returned', async () => {
    server.handle((_req, res) => json(res, 200, { fine: true }));
    const client = new ForgeClient(
      builder()
        .withHooks({
          afterResponse: [
            () => {
              throw new Error('hook broke');
            },
            (response) => ({ ...response, data: { ...response.data, touched: true } }),
          ],
        })
        .build(),
      undefined,
      'resilient',
    );
    const response = await lastValueFrom(client.get('/y'));
    expect(response.data).toEqual({ fine: true, touched: true });
    const warning = logs.lines.find((l) => l.level === 'warn');
    expect(warning?.message).toContain('afterResponse hook #1 failed');
    expect(warning?.message).toContain('hook broke');
  });

  it('onError hooks see the typed error; a throwing one never replaces it', async () => {
    server.handle((_req, res) => json(res, 500, { error: 'boom' }));
    const seen: unknown[] = [];
    const client = new ForgeClient(
      builder()
        .withHooks({
          onError: [
            () => {
              throw new Error('onError hook broke');
            },
            (error) => void seen.push(error),
          ],
        })
        .build(),
    );
    const error = await lastValueFrom(client.get('/z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    expect(seen).toEqual([error]);
    expect(logs.text).toContain('onError hook #1 failed');
  });

  it('correlation id: a fresh one per call, a caller-set one kept', async () => {
    const client = new ForgeClient(builder().withHooks(correlationIdHook()).build());
    await lastValueFrom(client.get('/1'));
    await lastValueFrom(client.get('/2'));
    await lastValueFrom(client.get('/3', { headers: { 'x-correlation-id': 'mine-123' } }));
    const ids = server.requests.map((r) => r.headers['x-correlation-id']);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe('mine-123');
  });

  it('rate-limit headers land in context.metadata, whatever their case', async () => {
    server.handle((_req, res) =>
      json(
        res,
        200,
        {},
        { 'X-RateLimit-Limit': '100', 'x-ratelimit-remaining': '7', 'X-RATELIMIT-RESET': '30' },
      ),
    );
    let metadata: Record<string, unknown> = {};
    const client = new ForgeClient(
      builder()
        .withHooks(rateLimitHook())
        .withHooks({ afterResponse: [(_r, ctx) => void (metadata = ctx.metadata)] })
        .build(),
    );
    await lastValueFrom(client.get('/limited'));
    expect(metadata.rateLimit).toEqual({ limit: 100, remaining: 7, reset: 30 });
  });

  describe('in the module', () => {
    let moduleRef: TestingModule | undefined;
    afterEach(async () => moduleRef?.close());

    @Injectable()
    class TenantService {
      tenant(): string {
        return 'tenant-42';
      }
    }

    @Injectable()
    class TenantHeaderHook implements ForgeHook {
      constructor(private readonly tenants: TenantService) {}

      beforeRequest(config: AxiosRequestConfig): AxiosRequestConfig {
        return { ...config, headers: { ...config.headers, 'X-Tenant': this.tenants.tenant() } };
      }

      afterResponse(response: AxiosResponse): void {
        seenStatuses.push(response.status);
      }
    }
    const seenStatuses: number[] = [];

    @Module({ providers: [TenantService], exports: [TenantService] })
    class TenantModule {}

    it('resolves an injectable hook class with a constructor dependency', async () => {
      moduleRef = await Test.createTestingModule({
        imports: [
          TenantModule,
          RequestForgeModule.forRoot({
            clients: { tenants: { baseUrl: server.url, hooks: [TenantHeaderHook] } },
          }),
        ],
        providers: [TenantHeaderHook],
      }).compile();
      const client = moduleRef.get<ForgeClient>(getForgeClientToken('tenants'));
      await lastValueFrom(client.get('/who'));
      expect(server.requests[0].headers['x-tenant']).toBe('tenant-42');
      expect(seenStatuses).toEqual([200]);
    });
  });
});
