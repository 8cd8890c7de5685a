import { get, IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Redactor } from '../../lib/errors/redaction';
import { RecordingServer } from '../support/recording-server';

describe('Redactor.text', () => {
  const redactor = new Redactor(['x-custom-secret']);

  it('scrubs Bearer and Basic credentials a server echoed into free text', () => {
    expect(redactor.text('got "Bearer eyJ.abc-def_1~+/=" from you')).toBe(
      'got "Bearer ***" from you',
    );
    expect(redactor.text('{"seen":"Basic dXNlcjpwYXNz=="}')).toBe('{"seen":"Basic ***"}');
    expect(redactor.text('bearer abc123')).toBe('bearer ***');
  });

  it('keeps prose such as "Basic authentication" or "Bearer token" readable', () => {
    expect(redactor.text('Basic authentication failed')).toBe('Basic authentication failed');
    expect(redactor.text('Bearer Token required')).toBe('Bearer Token required');
  });

  it('keeps the parameters of a WWW-Authenticate challenge readable', () => {
    const challenge = 'Bearer realm="api", error="invalid_token", error_description="expired"';
    expect(redactor.text(challenge)).toBe(challenge);
    expect(redactor.text('Bearer scope="read"')).toBe('Bearer scope="read"');
  });

  it('scrubs sensitive key=value pairs of an echoed URL or form body, any case', () => {
    expect(redactor.text('Cannot GET /echo?API_KEY=k-123&page=2&token=t-456')).toBe(
      'Cannot GET /echo?API_KEY=***&page=2&token=***',
    );
    expect(redactor.text('body was password=p%40ss&user=alice')).toBe(
      'body was password=***&user=alice',
    );
    expect(redactor.text('x-custom-secret=abc, ok=1')).toBe('x-custom-secret=***, ok=1');
  });

  it('scrubs a known secret also as a URL, a form body, a JSON string or base64 carries it', () => {
    const secret = 'p@ss w0rd+"é"/&';
    const scrub = new Redactor([], [secret]).extend([], ['other-secret']);
    for (const form of [
      secret,
      encodeURIComponent(secret),
      'p%40ss%20w0rd%2b%22%c3%a9%22%2f%26', // lower-case hex
      encodeURIComponent(encodeURIComponent(secret)),
      new URLSearchParams([['', secret]]).toString().slice(1),
      JSON.stringify(secret).slice(1, -1),
      'p@ss w0rd+\\"é\\"\\/&', // JSON with an escaped slash (PHP)
      'p@ss w0rd+\\"\\u00e9\\"/&', // JSON with \u escapes (Python, Go)
      Buffer.from(secret).toString('base64'),
    ]) {
      expect(scrub.text(`was <${form}>`)).toBe('was <***>');
    }
    expect(scrub.text('other-secret')).toBe('***');
  });

  it('leaves text without secrets unchanged', () => {
    const plain = 'GET http://127.0.0.1:80/users?page=2 failed with status 500 (a=b)';
    expect(redactor.text(plain)).toBe(plain);
  });
});

describe('Redactor.body', () => {
  const redactor = new Redactor();

  it('hides sensitive fields of JSON data and JSON text, at any depth', () => {
    const data = { user: 'alice', password: 'p', nested: [{ token: 't', page: 2 }] };
    const shown = { user: 'alice', password: '***', nested: [{ token: '***', page: 2 }] };
    expect(redactor.body(data)).toEqual(shown);
    expect(redactor.body(JSON.stringify(data))).toBe(JSON.stringify(shown));
  });

  it('shows a live response stream as a placeholder at once, never walking it', async () => {
    const server = await RecordingServer.start();
    try {
      const response = await new Promise<IncomingMessage>((resolve) => get(server.url, resolve));
      const started = Date.now();
      expect(redactor.body(response)).toBe('<stream>');
      expect(redactor.body({ body: response })).toEqual({ body: '<stream>' });
      expect(Date.now() - started).toBeLessThan(100);
      response.destroy();
    } finally {
      await server.close();
    }
  }, 10_000);

  it('shows bytes and streams as placeholders', () => {
    expect(redactor.body(Buffer.from('abc'))).toBe('<3 bytes>');
    expect(redactor.body(new ArrayBuffer(4))).toBe('<4 bytes>');
    expect(redactor.body({ file: new Uint8Array(2) })).toEqual({ file: '<2 bytes>' });
    expect(redactor.body(Readable.from(['x']))).toBe('<stream>');
  });

  it('cuts a cycle instead of following it', () => {
    const node: Record<string, unknown> = { name: 'a', password: 'p' };
    node.self = node;
    expect(redactor.body(node)).toEqual({ name: 'a', password: '***', self: '[circular]' });
  });

  it('shows class instances and dates as JSON would send them', () => {
    class CreateUser {
      constructor(
        readonly name: string,
        readonly password: string,
        readonly at: Date,
      ) {}
    }
    const at = new Date('2024-01-02T03:04:05.000Z');
    expect(redactor.body(new CreateUser('bob', 'p', at))).toEqual({
      name: 'bob',
      password: '***',
      at: '2024-01-02T03:04:05.000Z',
    });
  });
});
