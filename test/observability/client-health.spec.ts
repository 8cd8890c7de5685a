import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  ForgeClient,
  ForgeClientRegistry,
  RequestForgeModule,
} from '../../lib';
import { FakeTokenEndpoint } from '../../lib/testing';
import { ScriptedServer, sleep } from '../support/scripted-server';

const REFUSED = { status: 400, body: { error: 'invalid_client' } };

describe('ForgeClientRegistry.health()', () => {
  let tokens: FakeTokenEndpoint;
  let api: ScriptedServer;
  let moduleRef: TestingModule;
  let registry: ForgeClientRegistry;
  let billing: ForgeClient;

  beforeEach(async () => {
    tokens = await FakeTokenEndpoint.start({ clients: { 'billing-app': 'billing-secret' } });
    // 2 s tokens: the refresh skew is then 1 s (half the lifetime), so no test waits long.
    tokens.expiresIn = 2;
    api = await ScriptedServer.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({
          clients: {
            billing: {
              baseUrl: api.url(),
              auth: {
                type: 'client-credentials',
                tokenUrl: tokens.tokenUrl,
                clientId: 'billing-app',
                clientSecret: 'billing-secret',
              },
              // Each failure here is followed at once by the next call: no pause between fetches.
              failureBackoff: { initial: 0, max: 0 },
              circuitBreaker: { failureThreshold: 1, recoveryTimeout: 200 },
            },
            static: { baseUrl: api.url(), auth: { type: 'bearer', token: 'static-token' } },
          },
        }),
      ],
    }).compile();
    registry = moduleRef.get(ForgeClientRegistry);
    billing = registry.get('billing');
  });
  afterEach(async () => {
    await moduleRef.close();
    await Promise.all([tokens.close(), api.close()]);
  });

  const call = () => lastValueFrom(billing.get('/invoices'));
  const billingHealth = () => registry.health().billing;

  async function until(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition(); waited += 10) {
      if (waited > 3_000) throw new Error('condition not reached');
      await sleep(10);
    }
  }

  it('is up with a token, degraded while refreshes fail, down once no token can be had, up after recovery', async () => {
    expect(registry.health()).toEqual({
      billing: { status: 'up', circuit: 'closed', token: {} },
      static: { status: 'up' },
    });

    await call();
    const first = billingHealth();
    expect(first).toEqual({
      status: 'up',
      circuit: 'closed',
      token: { expiresAt: expect.any(Date) },
    });

    // Within the refresh skew the token is still served while the background refresh fails.
    tokens.failNext(2, REFUSED);
    await sleep(1_050);
    await call();
    await until(() => billingHealth().token?.failingSince !== undefined);
    const degraded = billingHealth();
    expect(degraded).toEqual({
      status: 'degraded',
      circuit: 'closed',
      token: {
        expiresAt: first.token?.expiresAt,
        failingSince: expect.any(Date),
        lastError: expect.stringContaining('invalid_client'),
      },
    });
    expect(degraded.token?.lastError).not.toContain('billing-secret');

    // Expired, and the endpoint still refuses: no token can be had.
    await until(() => (first.token?.expiresAt?.getTime() ?? 0) <= Date.now());
    await expect(call()).rejects.toBeInstanceOf(AuthenticationException);
    expect(billingHealth()).toEqual({
      status: 'down',
      circuit: 'closed',
      token: { failingSince: degraded.token?.failingSince, lastError: expect.any(String) },
    });

    // The endpoint is back (its script is used up): the next call gets a token.
    await call();
    expect(billingHealth()).toEqual({
      status: 'up',
      circuit: 'closed',
      token: { expiresAt: expect.any(Date) },
    });
  });

  it('is down while the breaker is open and up again once a probe succeeds', async () => {
    await call();
    api.reply({ status: 503 });
    await expect(call()).rejects.toThrow();

    expect(billingHealth()).toMatchObject({ status: 'down', circuit: 'open' });

    await sleep(200);
    expect(billingHealth()).toMatchObject({ status: 'degraded', circuit: 'half-open' });
    await call();
    expect(billingHealth()).toMatchObject({ status: 'up', circuit: 'closed' });
  });
});
