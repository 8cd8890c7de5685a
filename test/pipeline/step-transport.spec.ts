import {
  AuthenticationException,
  BodyTokenFetcher,
  InMemoryTokenStorage,
  PipelineTokenProvider,
  TokenFetchPipeline,
} from '../../lib';
import { BodyFaults, waitFor } from '../support/body-faults';
import { useLogCapture } from '../support/log-capture';
import { ScriptedServer } from '../support/scripted-server';
import { expectSecretsAbsent } from '../support/secrets';

const PASSWORD = 'step-passw0rd-4c1e';

describe('a pipeline step on a misbehaving transport', () => {
  let server: ScriptedServer;
  let faults: BodyFaults;
  const logs = useLogCapture();

  beforeEach(async () => {
    server = await ScriptedServer.start();
    faults = new BodyFaults();
  });
  afterEach(async () => {
    faults.dispose();
    await server.close();
  });

  const pipeline = (options: { timeout?: number; maxTokenResponseBytes?: number } = {}) => {
    const storage = new InMemoryTokenStorage();
    const steps = [
      new BodyTokenFetcher({
        name: 'session',
        baseUrl: server.url(),
        endpoint: '/session',
        requestData: { username: 'svc', password: PASSWORD },
        ...options,
      }),
    ];
    return { storage, pipeline: new TokenFetchPipeline({ steps, storage }) };
  };

  it('fails with an AuthenticationException after its timeout when the body trickles', async () => {
    server.otherwise(faults.trickle(50));
    const { pipeline: steps } = pipeline({ timeout: 400 });
    const provider = new PipelineTokenProvider(steps, { serviceName: 'crm' });

    const started = Date.now();
    const error = await provider.fetchToken().catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'crm', step: 'session' });
    expect((error as Error).message).toMatch(/failed: no answer within 400 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1_500);
    // A step is sent once: no retry of its own.
    expect(server.requests).toHaveLength(1);
    await waitFor(() => faults.outcomes[0].cutOff);
    expectSecretsAbsent(error, [PASSWORD], logs);
  });

  it('refuses a 50 MB response without reading it, naming step and service, storing nothing', async () => {
    const total = 50 * 1024 * 1024;
    server.reply(faults.hugeToken(total));
    const { pipeline: steps, storage } = pipeline();
    const provider = new PipelineTokenProvider(steps, { serviceName: 'crm' });

    const error = await provider.fetchToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ serviceName: 'crm', step: 'session' });
    expect((error as Error).message).toMatch(/body is over 65536 bytes/);
    expect(await steps.cachedToken('session')).toBeUndefined();
    expect(storage.size).toBe(0);
    await waitFor(() => faults.outcomes[0].cutOff);
    expect(faults.outcomes[0].bytesWritten).toBeLessThan(total / 2);
    expectSecretsAbsent(error, [PASSWORD, 'padded-token'], logs);
  });

  it('honours its own maxTokenResponseBytes', async () => {
    server.reply(faults.hugeToken(2_048, 'fits-token'), faults.hugeToken(2_049));
    const { pipeline: steps } = pipeline({ maxTokenResponseBytes: 2_048 });
    await expect(steps.run()).resolves.toMatchObject({ accessToken: 'fits-token' });
    await steps.invalidateStep('session');
    await expect(steps.run()).rejects.toThrow(/body is over 2048 bytes/);
  });

  it.each([0, 2.5, '1024'])('rejects maxTokenResponseBytes %p when the step is built', (value) => {
    expect(() => pipeline({ maxTokenResponseBytes: value as number })).toThrow(
      /maxTokenResponseBytes must be a positive whole number of bytes/,
    );
  });
});
