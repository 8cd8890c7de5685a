import { randomBytes } from 'node:crypto';

export interface TokenAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface TokenGrantsOptions {
  users?: Record<string, string>;
  tokenType: string;
  refreshTokens: boolean;
  clock: { now(): number };
}

interface Grant {
  clientId?: string;
  username?: string;
  scope?: string;
}

/**
 * The grants of the fake token endpoint once the client is authenticated, and the tokens they
 * issued: client credentials (RFC 6749 §4.4), password (§4.3), refresh token (§6).
 */
export class TokenGrants {
  expiresIn: number | null = 3600;
  /** Access token → its grant and expiry (epoch ms by `clock`). */
  private readonly accessTokens = new Map<string, Grant & { expiresAt?: number }>();
  private readonly refreshTokens = new Map<string, Grant>();
  private issued = 0;

  constructor(private readonly options: TokenGrantsOptions) {}

  grant(form: URLSearchParams, clientId: string | undefined): TokenAnswer {
    const scope = form.get('scope') ?? undefined;
    switch (form.get('grant_type')) {
      case 'client_credentials':
        // §4.4.3: no refresh token for the client credentials grant.
        return this.issue({ clientId, scope });
      case 'password':
        return this.password(form, { clientId, scope });
      case 'refresh_token':
        return this.refresh(form, clientId, scope);
      case null:
        return oauthError(400, 'invalid_request', 'grant_type is required');
      default:
        return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
    }
  }

  isValid(accessToken: string): boolean {
    const token = this.accessTokens.get(accessToken);
    if (!token) return false;
    return token.expiresAt === undefined || this.options.clock.now() < token.expiresAt;
  }

  revoke(token: string): void {
    this.accessTokens.delete(token);
    this.refreshTokens.delete(token);
  }

  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  // §4.3.2
  private password(form: URLSearchParams, grant: Grant): TokenAnswer {
    const username = form.get('username');
    const password = form.get('password');
    if (username === null || password === null) {
      return oauthError(400, 'invalid_request', 'username and password are required');
    }
    const users = this.options.users;
    if (users && (!Object.hasOwn(users, username) || users[username] !== password)) {
      return oauthError(400, 'invalid_grant', 'invalid resource owner credentials');
    }
    return this.issue({ ...grant, username }, true);
  }

  // §6: the refresh token must have been issued to this client; no scope beyond the original.
  private refresh(form: URLSearchParams, clientId?: string, scope?: string): TokenAnswer {
    const refreshToken = form.get('refresh_token');
    if (refreshToken === null) {
      return oauthError(400, 'invalid_request', 'refresh_token is required');
    }
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.clientId !== clientId) {
      return oauthError(400, 'invalid_grant', 'unknown, revoked or foreign refresh token');
    }
    if (scope !== undefined && !isWithin(scope, grant.scope)) {
      return oauthError(400, 'invalid_scope', 'scope beyond the original grant');
    }
    // §6: the server MAY issue a new refresh token; this one keeps the one it has.
    return this.issue({ ...grant, scope: scope ?? grant.scope }, refreshToken);
  }

  /** @param refresh issue a refresh token too (`true`), or keep this one */
  private issue(grant: Grant, refresh: boolean | string = false): TokenAnswer {
    this.issued += 1;
    const accessToken = `fake-at-${this.issued}-${randomBytes(8).toString('hex')}`;
    const expiresIn = this.expiresIn;
    const expiresAt = expiresIn === null ? undefined : this.options.clock.now() + expiresIn * 1000;
    this.accessTokens.set(accessToken, { ...grant, expiresAt });
    let refreshToken = typeof refresh === 'string' ? refresh : undefined;
    if (refresh === true && this.options.refreshTokens) {
      refreshToken = `fake-rt-${this.issued}-${randomBytes(8).toString('hex')}`;
      this.refreshTokens.set(refreshToken, grant);
    }
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: this.options.tokenType,
        ...(expiresIn !== null ? { expires_in: expiresIn } : {}),
        ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
        ...(grant.scope !== undefined ? { scope: grant.scope } : {}),
      },
    };
  }
}

/** An RFC 6749 §5.2 error response. */
export function oauthError(status: number, error: string, description: string): TokenAnswer {
  return { status, body: { error, error_description: description } };
}

function isWithin(requested: string, granted: string | undefined): boolean {
  const allowed = new Set((granted ?? '').split(' ').filter(Boolean));
  return requested.split(' ').every((scope) => scope === '' || allowed.has(scope));
}
