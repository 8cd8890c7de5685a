import { normalizePath } from '../../lib/auth/path-exclusion';
import { joinUrl, parseTarget, targetResolver } from '../../lib/client/request-target';

/** What WHATWG URL parsing makes of the joined URL: the plain-path join must agree with it. */
function parsedReference(baseUrl: string, url: string) {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : joinUrl(baseUrl, url);
  return parseTarget(absolute, normalizePath(new URL(baseUrl).pathname));
}

const BASES = [
  'http://127.0.0.1:8080',
  'http://127.0.0.1:8080/',
  'https://api.example.test/v1',
  'https://api.example.test/v1/',
  'https://api.example.test/a//b/',
  'https://api.example.test/a/..',
  'https://api.example.test/a/./',
  'https://api.example.test/a/%2e',
  'https://api.example.test/my%20api',
  'https://api.example.test/v1?tenant=7',
  'https://user:pw@api.example.test:8443/v1',
];

const PATHS = [
  '',
  '/',
  'users',
  '/users',
  '/users/',
  'users/42/orders',
  '/files/report.v2.json',
  '/.well-known/jwks',
  '/a_b-c~d',
  '/x/../health',
  '/x/./y',
  '/..',
  '..',
  '.',
  '/public/%2e%2e/private',
  '//health',
  '/users?page=2',
  '/users#top',
  '/caf\u00e9',
  '/a b',
  '/a\\b',
  'https://other.example.test/v1/users',
];

describe('request targets', () => {
  it.each(BASES)('every path under %s resolves as URL parsing would', (baseUrl) => {
    const resolve = targetResolver(baseUrl);
    for (const path of PATHS) {
      expect({ path, ...resolve(path) }).toEqual({ path, ...parsedReference(baseUrl, path) });
    }
  });

  it('joins a plain path under the base path, keeping the URL as written', () => {
    const resolve = targetResolver('https://api.example.test/v1/');
    expect(resolve('users/42/')).toEqual({
      url: 'https://api.example.test/v1/users/42/',
      origin: 'https://api.example.test',
      search: '',
      relativePath: '/users/42',
      absolutePath: '/v1/users/42',
    });
  });

  it('reads dot segments and escapes the way URL parsing does', () => {
    const resolve = targetResolver('https://api.example.test/v1');
    expect(resolve('/public/%2e%2e/private')).toMatchObject({ absolutePath: '/v1/private' });
    expect(resolve('/../health')).toMatchObject({
      absolutePath: '/health',
      relativePath: undefined,
    });
  });
});
