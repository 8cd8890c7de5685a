import { createServer } from 'node:net';
import { AddressInfo } from 'node:net';
import {
  AuthenticationException,
  BodyTokenFetcher,
  PipelineTokenProvider,
  TokenFetchPipeline,
} from '../../lib';
import { appStepOptions, userStepOptions, UserTokenFetcher } from './two-step-config';
import {
  APP_CLIENT_SECRET,
  startTokenServers,
  TokenServers,
  USER_NAME,
} from '../support/pipeline-token-servers';
import { LogCapture } from '../support/log-capture';
import { renderings } from '../support/secrets';

const WRONG_PASSWORD = 'wrong-pw-93c1d7';

/** Every way an error is shown: message, JSON, inspect (causes included), and the logs. */
function everyRendering(error: unknown, logs: LogCapture): string {
  return [...renderings(error), ...logs.renderings].join('\n');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a failing step', () => {
  let servers: TokenServers;
  let logs: LogCapture;

  beforeEach(async () => {
    servers = await startTokenServers();
    logs = LogCapture.install();
  });
  afterEach(async () => {
    LogCapture.uninstall();
    await servers.close();
  });

  function pipelineWithUserPassword(password: string): TokenFetchPipeline {
    return new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher(appStepOptions(servers)),
        new UserTokenFetcher({
          ...userStepOptions(servers),
          requestData: { username: USER_NAME, password },
        }),
      ],
    });
  }

  it('is an AuthenticationException naming step and service, the password nowhere', async () => {
    const provider = new PipelineTokenProvider(pipelineWithUserPassword(WRONG_PASSWORD), {
      serviceName: 'crm',
    });

    const error = await provider.fetchToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({
      serviceName: 'crm',
      step: 'user_token',
      status: 401,
      error: 'invalid_grant',
    });
    expect((error as Error).message).toContain("Pipeline step 'user_token' of service 'crm'");
    // The server echoed the password in error_description; it must have been scrubbed.
    expect((error as AuthenticationException).errorDescription).toContain('***');
    const shown = everyRendering(error, logs);
    expect(logs.text).toContain("Pipeline step 'user_token'");
    expect(shown).not.toContain(WRONG_PASSWORD);
    expect(shown).not.toContain(APP_CLIENT_SECRET);
    const appToken = servers.userAuthorizations[0].replace('Bearer ', '');
    expect(shown).not.toContain(appToken);
  });

  it('names the first step when it fails, and fetches nothing after it', async () => {
    const pipeline = new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher({
          ...appStepOptions(servers),
          requestData: { client_id: 'app-client', client_secret: 'not-the-secret-4411' },
        }),
        new UserTokenFetcher(userStepOptions(servers)),
      ],
    });

    const error = await pipeline.run({ serviceName: 'crm' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ step: 'app_token', serviceName: 'crm', error: 'invalid_client' });
    expect(servers.counts).toMatchObject({ app: 1, user: 0 });
    expect(everyRendering(error, logs)).not.toContain('not-the-secret-4411');
  });

  it('is not cached: the next run asks again', async () => {
    const pipeline = pipelineWithUserPassword(WRONG_PASSWORD);
    await expect(pipeline.run()).rejects.toThrow(AuthenticationException);
    await expect(pipeline.run()).rejects.toThrow(AuthenticationException);
    expect(servers.counts).toMatchObject({ app: 1, user: 2 });
  });

  it('reports an unreachable endpoint with a safe cause', async () => {
    const port = await closedPort();
    const pipeline = new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher({ ...appStepOptions(servers), baseUrl: `http://127.0.0.1:${port}` }),
      ],
    });

    const error = await pipeline.run({ serviceName: 'crm' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationException);
    expect((error as Error).message).toBe(
      "Pipeline step 'app_token' of service 'crm' failed: could not reach the token endpoint (ECONNREFUSED)",
    );
    expect((error as AuthenticationException).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(everyRendering(error, logs)).not.toContain(APP_CLIENT_SECRET);
  });

  it('gives up after its timeout', async () => {
    await servers.close();
    servers = await startTokenServers({ delayMs: 1000 });
    const pipeline = new TokenFetchPipeline({
      steps: [new BodyTokenFetcher({ ...appStepOptions(servers), timeout: 100 })],
    });

    const started = Date.now();
    const error = await pipeline.run({ serviceName: 'crm' }).catch((e: unknown) => e);

    expect(Date.now() - started).toBeLessThan(900);
    expect((error as Error).message).toBe(
      "Pipeline step 'app_token' of service 'crm' failed: no answer within 100 ms",
    );
  });

  it('says which field a 2xx answer lacked, without showing the answer', async () => {
    const pipeline = new TokenFetchPipeline({
      steps: [
        new BodyTokenFetcher(appStepOptions(servers)),
        new UserTokenFetcher({ ...userStepOptions(servers), tokenField: 'data.missing' }),
      ],
    });

    const error = await pipeline.run({ serviceName: 'crm' }).catch((e: unknown) => e);

    expect((error as Error).message).toBe(
      "Pipeline step 'user_token' of service 'crm' failed: the response has no non-empty string at 'data.missing' (status 200)",
    );
    expect(error).toMatchObject({ status: 200 });
    expect(everyRendering(error, logs)).not.toMatch(/user-\d/);
  });
});
