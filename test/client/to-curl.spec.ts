import { ForgeClient, HttpClientConfigBuilder } from '../../lib';

describe('toCurl', () => {
  it('renders a POST with a JSON body and a bearer token, secrets as ***', () => {
    const client = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl('https://api.example.test/v1')
        .withBearerToken('curl-secret-token')
        .withHeader('X-Tenant', 'acme')
        .build(),
    );
    const line = client.toCurl({
      method: 'POST',
      url: '/orders',
      params: { dryRun: true },
      data: { item: "O'Brien's book", qty: 2, password: 'pw-in-body' },
    });
    expect(line).toBe(
      "curl -X POST 'https://api.example.test/v1/orders?dryRun=true' " +
        "-H 'X-Tenant: acme' -H 'Authorization: ***' -H 'Content-Type: application/json' " +
        `--data-raw '{"item":"O'\\''Brien'\\''s book","qty":2,"password":"***"}'`,
    );
    expect(line).not.toContain('curl-secret-token');
  });

  it('shows no credential for another origin and redacts an API key in the query', () => {
    const client = new ForgeClient(
      new HttpClientConfigBuilder()
        .withBaseUrl('https://api.example.test')
        .withApiKey('curl-api-key', 'X-Key')
        .build(),
    );
    expect(client.toCurl({ url: 'https://other.test/x?api_key=abc123&q=1' })).toBe(
      "curl -X GET 'https://other.test/x?api_key=***&q=1'",
    );
    expect(client.toCurl({ url: '/y' })).toBe(
      "curl -X GET 'https://api.example.test/y' -H 'X-Key: ***'",
    );
  });

  it('quotes a method that is not plain letters, so the line is safe to paste into a shell', () => {
    const client = new ForgeClient(
      new HttpClientConfigBuilder().withBaseUrl('https://api.example.test').build(),
    );
    expect(client.toCurl({ method: 'GET;id', url: '/x' })).toBe(
      "curl -X 'GET;ID' 'https://api.example.test/x'",
    );
    expect(client.toCurl({ method: "it's", url: '/x' })).toBe(
      "curl -X 'IT'\\''S' 'https://api.example.test/x'",
    );
  });
});
