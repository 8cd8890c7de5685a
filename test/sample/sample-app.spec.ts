import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, getForgeClientToken, HttpStatusException } from '../../lib';
import { AppModule } from '../../sample/app.module';
import { ScenarioResult, ServiceReport } from '../../sample/demo/sample-report';
import { ServicesDemo } from '../../sample/demo/services-demo';
import { EmbeddedServices, startEmbeddedServices } from '../../sample/embedded/embedded-services';
import { SampleServerStats } from '../../sample/embedded/sample-api';
import { SampleControl } from '../../sample/demo/sample-control';
import { describeRedis, redisUrl } from '../support/redis';
import { deleteKeysUnder, keysUnder } from '../support/redis-keys';

function scenario(report: ServiceReport, name: string): ScenarioResult {
  const found = report.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name} in ${report.service}`);
  return found;
}

describe('the sample app (sample/app.module.ts) on its embedded servers', () => {
  let embedded: EmbeddedServices;
  let control: SampleControl;
  const modules: TestingModule[] = [];

  async function boot(env: Record<string, string | undefined>): Promise<TestingModule> {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ env })],
    }).compile();
    modules.push(moduleRef);
    await moduleRef.init();
    return moduleRef;
  }

  beforeAll(async () => {
    // 6 s tokens renewed 2 s before expiry: 4 s in which the `cached` scenario must not see a
    // refresh, even on a loaded machine.
    embedded = await startEmbeddedServices({ tokenTtlSeconds: 6 });
    control = new SampleControl(embedded.env.SAMPLE_CONTROL_URL);
  });

  afterEach(async () => {
    await Promise.all(modules.splice(0).map((m) => m.close()));
  });

  afterAll(async () => {
    await embedded?.close();
  });

  it('service-a: one token for six calls, a new one after a 401, a refresh before expiry', async () => {
    const app = await boot({ ...embedded.env });
    const report = await app.get(ServicesDemo).runServiceA();

    expect(scenario(report, 'fetched')).toMatchObject({ calls: 1, succeeded: 1, tokenRequests: 1 });
    expect(scenario(report, 'cached')).toMatchObject({ calls: 5, succeeded: 5, tokenRequests: 0 });
    expect(scenario(report, 'revoked')).toMatchObject({
      succeeded: 1,
      unauthorized: 1,
      tokenRequests: 1,
    });
    expect(scenario(report, 'refreshed')).toMatchObject({
      calls: 2,
      succeeded: 2,
      unauthorized: 0,
      tokenRequests: 1,
    });
  });

  it('service-b: every call carries the API key, except /health', async () => {
    const app = await boot({ ...embedded.env });
    const report = await app.get(ServicesDemo).runServiceB();

    expect(scenario(report, 'api-key')).toMatchObject({ calls: 5, succeeded: 5, unauthorized: 0 });
    expect(scenario(report, 'excluded')).toMatchObject({ calls: 1, succeeded: 1 });
    expect(scenario(report, 'excluded').description).not.toContain('the key was sent');
    expect((await control.stats()).health.withCredential).toBe(0);
  });

  it('service-b: a wrong key from the environment is refused (the API really checks)', async () => {
    const app = await boot({ ...embedded.env, SERVICE_B_API_KEY: 'not-the-key' });
    const client = app.get<ForgeClient>(getForgeClientToken('service-b'));

    const failure = await lastValueFrom(client.get('/stock/1')).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(HttpStatusException);
    expect((failure as HttpStatusException).status).toBe(401);
  });

  it('service-c: app token, then user token; a refused user token refetches only that step', async () => {
    const app = await boot({ ...embedded.env });
    const report = await app.get(ServicesDemo).runServiceC();

    expect(scenario(report, 'fetched').tokenRequestsPerStep).toEqual({
      app_token: 1,
      user_token: 1,
    });
    expect(scenario(report, 'cached')).toMatchObject({ calls: 4, succeeded: 4, tokenRequests: 0 });
    expect(scenario(report, 'revoked')).toMatchObject({ succeeded: 1, unauthorized: 1 });
    expect(scenario(report, 'revoked').tokenRequestsPerStep).toEqual({
      app_token: 0,
      user_token: 1,
    });
  });

  it('fails at bootstrap naming the missing variable, never a value', async () => {
    const { SERVICE_C_PASSWORD: _omitted, ...env } = embedded.env;

    const failure = await boot(env).catch((e: unknown) => e);

    expect(String(failure)).toContain('SERVICE_C_PASSWORD is not set');
    expect(String(failure)).not.toContain(embedded.env.SERVICE_A_CLIENT_SECRET);
  });

  it('without REDIS_URL, two app instances fetch a token each (in memory)', async () => {
    const env = { ...embedded.env, SAMPLE_SCENARIOS: 'shared' };
    const [first, second] = [await boot(env), await boot(env)];
    const before = await control.stats();

    await Promise.all([
      first.get(ServicesDemo).runServiceA(),
      second.get(ServicesDemo).runServiceA(),
    ]);

    const after = await control.stats();
    expect(after.tokenRequests.serviceA - before.tokenRequests.serviceA).toBe(2);
  });

  describeRedis('with REDIS_URL', () => {
    const namespace = `forge-test:sample:${randomBytes(4).toString('hex')}`;

    afterAll(async () => {
      await deleteKeysUnder(namespace);
    });

    it('two app instances share one token through Redis', async () => {
      const env = {
        ...embedded.env,
        REDIS_URL: redisUrl(),
        SAMPLE_CACHE_NAMESPACE: namespace,
        SAMPLE_SCENARIOS: 'shared',
      };
      const [first, second] = [await boot(env), await boot(env)];
      const before: SampleServerStats = await control.stats();

      const reports = await Promise.all([
        first.get(ServicesDemo).runServiceA(),
        second.get(ServicesDemo).runServiceA(),
      ]);

      const after = await control.stats();
      expect(after.tokenRequests.serviceA - before.tokenRequests.serviceA).toBe(1);
      expect(reports.flatMap((r) => r.scenarios.map((s) => s.succeeded))).toEqual([1, 5, 1, 5]);
      expect(reports[0].scenarios.map((s) => s.name)).toEqual(['fetched', 'cached']);
      expect(await keysUnder(`${namespace}::api_tokens:`)).not.toHaveLength(0);
    });
  });
});
