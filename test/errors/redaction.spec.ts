import { Redactor } from '../../lib/errors/redaction';

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

  it('leaves text without secrets unchanged', () => {
    const plain = 'GET http://127.0.0.1:80/users?page=2 failed with status 500 (a=b)';
    expect(redactor.text(plain)).toBe(plain);
  });
});
