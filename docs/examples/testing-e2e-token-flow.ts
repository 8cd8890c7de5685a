import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, InjectForgeClient, RequestForgeModule } from 'nestjs-request-forge';
import { FakeProtectedApi, FakeTokenEndpoint } from 'nestjs-request-forge/testing';

@Injectable()
export class ReportsService {
  constructor(@InjectForgeClient('reports') private readonly reports: ForgeClient) {}

  async fetch(name: string): Promise<unknown> {
    return (await lastValueFrom(this.reports.get(`/reports/${name}`))).data;
  }
}

describe('ReportsService against a token endpoint and an API', () => {
  let endpoint: FakeTokenEndpoint;
  let api: FakeProtectedApi;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    // A real OAuth2 token endpoint and an API accepting only its valid tokens, on 127.0.0.1.
    endpoint = await FakeTokenEndpoint.start({ clients: { 'reports-app': 's3cret' } });
    api = await FakeProtectedApi.start(endpoint);
  });

  beforeEach(async () => {
    endpoint.reset();
    api.requests.length = 0;
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            reports: {
              baseUrl: api.url,
              auth: {
                type: 'client-credentials',
                tokenUrl: endpoint.tokenUrl,
                clientId: 'reports-app',
                clientSecret: 's3cret',
                authMethod: 'header',
              },
            },
          },
        }),
      ],
      providers: [ReportsService],
    }).compile();
  });

  afterEach(() => moduleRef.close());

  afterAll(async () => {
    await api.close();
    await endpoint.close();
  });

  it('makes one token request for three calls, authenticating with HTTP Basic', async () => {
    const reports = moduleRef.get(ReportsService);
    await Promise.all(['daily', 'weekly', 'monthly'].map((name) => reports.fetch(name)));
    expect(endpoint.tokenRequests).toBe(1);
    expect(endpoint.requests[0]).toMatchObject({
      grantType: 'client_credentials',
      clientId: 'reports-app',
      authMethod: 'client_secret_basic',
    });
    expect(api.requests.map((r) => r.path).sort()).toEqual([
      '/reports/daily',
      '/reports/monthly',
      '/reports/weekly',
    ]);
  });

  it('gets a new token, once, after the API refuses a revoked one', async () => {
    const reports = moduleRef.get(ReportsService);
    await reports.fetch('daily');
    endpoint.revoke();
    await expect(reports.fetch('daily')).resolves.toEqual({
      path: '/reports/daily',
      method: 'GET',
    });
    expect(endpoint.tokenRequests).toBe(2);
    expect(api.unauthorized).toBe(1);
  });

  it('rides out a token endpoint that fails twice with 503 (token requests are retried)', async () => {
    endpoint.failNext(2, { status: 503, error: 'temporarily_unavailable' });
    await moduleRef.get(ReportsService).fetch('daily');
    expect(endpoint.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });
});
