import { inspect } from 'node:util';
import { AuthenticationException, ConfigurationException, TokenData } from '../../lib';
import { DEFAULT_TOKEN_LIFETIME_MS } from '../../lib/tokens/token-data';

function jwtWithExp(expSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: 'svc', exp: expSeconds })}.sig`;
}

describe('TokenData', () => {
  const now = Date.UTC(2026, 2, 21, 23, 30, 0); // near a DST/Nowruz boundary in several zones

  it('computes expiry from expires_in in epoch ms', () => {
    const token = TokenData.fromTokenResponse(
      { access_token: 'abc', token_type: 'bearer', expires_in: 120 },
      { now },
    );
    expect(token.expiresAt?.getTime()).toBe(now + 120_000);
    expect(token.isExpired(0, now + 119_999)).toBe(false);
    expect(token.isExpired(0, now + 120_000)).toBe(true);
    expect(token.isExpired(60_000, now + 60_000)).toBe(true);
    expect(token.isExpired(60_000, now + 59_999)).toBe(false);
    expect(token.authorizationHeader).toBe('Bearer abc');
  });

  it('accepts expires_in as a numeric string', () => {
    const token = TokenData.fromTokenResponse(
      { access_token: 'abc', token_type: 'Bearer', expires_in: '30' },
      { now },
    );
    expect(token.expiresAt?.getTime()).toBe(now + 30_000);
  });

  it("falls back to a JWT's exp when expires_in is absent", () => {
    const exp = Math.floor(now / 1000) + 500;
    const token = TokenData.fromTokenResponse(
      { access_token: jwtWithExp(exp), token_type: 'Bearer' },
      { now },
    );
    expect(token.expiresAt?.getTime()).toBe(exp * 1000);
  });

  it('uses the configurable default lifetime when nothing says when it expires', () => {
    const json = { access_token: 'opaque', token_type: 'Bearer' };
    expect(TokenData.fromTokenResponse(json, { now }).expiresAt?.getTime()).toBe(
      now + DEFAULT_TOKEN_LIFETIME_MS,
    );
    expect(DEFAULT_TOKEN_LIFETIME_MS).toBe(3_600_000);
    const custom = TokenData.fromTokenResponse(json, { now, defaultLifetimeMs: 5_000 });
    expect(custom.expiresAt?.getTime()).toBe(now + 5_000);
  });

  it('keeps refresh_token and scope, and other fields in extra', () => {
    const token = TokenData.fromTokenResponse(
      {
        access_token: 'abc',
        token_type: 'Bearer',
        expires_in: 60,
        refresh_token: 'refresh-me',
        scope: 'a b',
        id_token: 'x.y.z',
        custom: 1,
      },
      { now },
    );
    expect(token.refreshToken).toBe('refresh-me');
    expect(token.scope).toBe('a b');
    expect(token.extra).toEqual({ id_token: 'x.y.z', custom: 1 });
  });

  it.each([
    ['an empty access_token', { access_token: '', token_type: 'Bearer' }],
    ['no access_token', { token_type: 'Bearer', expires_in: 60 }],
    ['no token_type', { access_token: 'abc' }],
    ['a non-numeric expires_in', { access_token: 'abc', token_type: 'Bearer', expires_in: 'soon' }],
    ['a negative expires_in', { access_token: 'abc', token_type: 'Bearer', expires_in: -1 }],
    ['a zero expires_in', { access_token: 'abc', token_type: 'Bearer', expires_in: 0 }],
    ['an expires_in past 9999', { access_token: 'abc', token_type: 'Bearer', expires_in: 1e13 }],
    ['an array', [{ access_token: 'abc' }]],
  ])('rejects a response with %s, without quoting it', (_case, json) => {
    let error: unknown;
    try {
      TokenData.fromTokenResponse(json, { serviceName: 'svc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthenticationException);
    expect((error as AuthenticationException).serviceName).toBe('svc');
    expect((error as Error).message).toMatch(/Token response for "svc" is invalid/);
    expect(JSON.stringify(error)).not.toContain('abc');
  });

  it('round-trips through JSON with the same instant', () => {
    const token = new TokenData({
      accessToken: 'abc',
      expiresAt: new Date(now),
      refreshToken: 'r',
      scope: 's',
    });
    const copy = TokenData.fromJSON(JSON.stringify(token));
    expect(copy.expiresAt?.getTime()).toBe(now);
    expect(copy.sameTokenAs(token)).toBe(true);
    expect(copy.refreshToken).toBe('r');
  });

  // Storages hold what other processes (or versions) wrote: a token type that is not a string
  // used to be accepted and then broke every request when the Authorization header was built.
  it.each([
    ['tokenType', { tokenType: 5 }],
    ['refreshToken', { refreshToken: { nested: 'sekrit-refresh' } }],
    ['scope', { scope: ['read'] }],
  ])(
    'fromJSON rejects a stored %s that is not a string, without quoting the entry',
    (field, bad) => {
      const stored = {
        accessToken: 'sekrit-token',
        expiresAt: new Date(now).toISOString(),
        ...bad,
      };
      for (const json of [stored, JSON.stringify(stored)]) {
        let error: unknown;
        try {
          TokenData.fromJSON(json as never);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ConfigurationException);
        expect((error as Error).message).toBe(`TokenData: ${field} must be a string`);
        expect(JSON.stringify(error)).not.toContain('sekrit');
      }
    },
  );

  it.each([
    [
      'accessToken',
      { accessToken: 'sekrit-token\r\nX-Injected: 1' },
      'is not a valid header value',
    ],
    ['accessToken', { accessToken: 'sekrit-tökén' }, 'is not a valid header value'],
    [
      'tokenType',
      { accessToken: 'sekrit-token', tokenType: 'Bearer\r\nX-Injected: 1' },
      'is not an RFC 6749 token type name',
    ],
  ])(
    'fromJSON rejects a stored %s that cannot go in a header as it is, without quoting it',
    (field, stored, problem) => {
      let error: unknown;
      try {
        TokenData.fromJSON(JSON.stringify(stored));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationException);
      expect((error as Error).message).toContain(`TokenData: ${field} ${problem}`);
      expect(JSON.stringify(error)).not.toContain('sekrit');
      expect(inspect(error)).not.toContain('sekrit');
    },
  );

  it('fromJSON still defaults a missing token type to Bearer', () => {
    const token = TokenData.fromJSON({ accessToken: 'abc' } as never);
    expect(token.tokenType).toBe('Bearer');
    expect(token.authorizationHeader).toBe('Bearer abc');
  });

  it('never shows its token in toString, templates or inspect', () => {
    const token = new TokenData({ accessToken: 'sekrit-token', refreshToken: 'sekrit-refresh' });
    for (const view of [
      String(token),
      `${token}`,
      inspect(token, { depth: null }),
      inspect({ token }),
    ]) {
      expect(view).not.toContain('sekrit');
    }
  });
});
