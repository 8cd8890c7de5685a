import { TokenData } from '../tokens/token-data';
import { TokenManager } from '../tokens/token-manager';
import { DpopSession, dpopSessionOf } from './dpop-session';
import { AppliedAuth, AuthTarget, RequestAuth } from './request-auth.interface';

/**
 * A TokenManager's tokens as `Authorization: <type> <token>` (RFC 6750 §2.1), or with DPoP as
 * `Authorization: DPoP <token>` plus a fresh proof (RFC 9449 §7.1).
 */
export class TokenAuth implements RequestAuth {
  readonly kind = 'token';
  readonly headerNames: readonly string[];
  /** Tokens change; they are never logged because the Authorization header is always redacted. */
  readonly secrets: readonly string[] = [];
  readonly dpop?: DpopSession;

  constructor(readonly tokenManager: TokenManager) {
    this.dpop = dpopSessionOf(tokenManager);
    this.headerNames = this.dpop ? ['Authorization', 'DPoP'] : ['Authorization'];
  }

  /** Synchronous while the manager holds a token: no promise on the request path. */
  apply(target?: AuthTarget): AppliedAuth | Promise<AppliedAuth> {
    const held = this.tokenManager.heldToken();
    if (held) return this.applied(held, target);
    return this.tokenManager.getToken().then((token) => this.applied(token, target));
  }

  /** Drops exactly the refused token; a newer one a peer stored meanwhile is kept. */
  async onUnauthorized(refused: AppliedAuth): Promise<void> {
    await this.tokenManager.invalidate(refused.token);
  }

  private applied(token: TokenData, target: AuthTarget | undefined): AppliedAuth {
    if (!this.dpop) return { headers: { Authorization: token.authorizationHeader }, token };
    if (!target) throw new Error('A DPoP proof needs the request it is for');
    return { headers: this.dpop.headers(token, target, this.tokenManager.serviceName), token };
  }
}
