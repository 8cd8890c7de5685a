import { Readable } from 'node:stream';
import { lastValueFrom } from 'rxjs';
import { ForgeClient, HttpClientConfigBuilder } from '../../lib';
import { useLogCapture } from '../support/log-capture';
import { json, RecordingServer } from '../support/recording-server';
import { expectNoSecrets } from '../support/secrets';

describe('withLogging', () => {
  let server: RecordingServer;
  const logs = useLogCapture();

  beforeEach(async () => {
    server = await RecordingServer.start((req, res) =>
      json(res, req.url?.startsWith('/fail') ? 503 : 200, {
        access_token: 'response-token-123',
        Account_Number: 'acct-777',
        ok: true,
      }),
    );
  });
  afterEach(async () => {
    await server.close();
  });

  it('logs method, URL, status, duration and attempt with context RequestForge:<client>, redacted', async () => {
    const client = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl(server.url)
        .withApiKey('log-api-key-999', 'X-Secret-Key')
        .withLogging({ logHeaders: true, logBody: true, sensitiveKeys: ['account_number'] })
        .build(),
      undefined,
      'billing',
    );
    await lastValueFrom(
      client.post(
        '/pay?token=query-token-1&page=2',
        { password: 'body-pw-1', amount: 5 },
        {
          headers: { Cookie: 'sid=cookie-val-1' },
        },
      ),
    );
    await lastValueFrom(client.get('/fail')).catch(() => undefined);

    // Control: the secrets did travel, so their absence from the logs means something.
    expect(server.requests[0].headers['x-secret-key']).toBe('log-api-key-999');
    expect(server.requests[0].body).toContain('body-pw-1');

    const [ok, failed] = logs.lines;
    expect(ok.level).toBe('log');
    expect(ok.message).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/pay\?token=\*\*\*&page=2 → 200 in \d+ ms \(attempt 1/,
    );
    expect(ok.message).toContain('"amount":5');
    expect(ok.message).toContain('"X-Secret-Key":"***"');
    expect(failed.level).toBe('warn');
    expect(failed.message).toContain('GET');
    expect(failed.message).toContain('→ 503');
    expectNoSecrets(logs.text, [
      'log-api-key-999',
      'query-token-1',
      'body-pw-1',
      'cookie-val-1',
      'response-token-123',
      'acct-777',
    ]);
  });

  it('logs stream bodies as <stream>, leaving an answered stream to the caller', async () => {
    const client = new ForgeClient(
      new HttpClientConfigBuilder().withBaseUrl(server.url).withLogging({ logBody: true }).build(),
    );
    const started = Date.now();
    const upload = Readable.from([Buffer.from('chunk')]);
    const response = await lastValueFrom(
      client.post('/up', upload, {
        responseType: 'stream',
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of response.data as Readable) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({ ok: true });
    await lastValueFrom(client.get('/fail', { responseType: 'stream' })).catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(2_000);

    const [ok, failed] = logs.lines;
    expect(ok.message).toContain('request body <stream> response body <stream>');
    expect(failed.message).toContain('→ 503');
    expect(failed.message).toContain('response body <stream>');
  }, 10_000);

  it('logs nothing without withLogging', async () => {
    const client = new ForgeClient(new HttpClientConfigBuilder().withBaseUrl(server.url).build());
    await lastValueFrom(client.get('/quiet'));
    expect(logs.lines).toHaveLength(0);
  });
});
