import { TokenData } from '../tokens/token-data';
import { TokenManager } from '../tokens/token-manager';
import { AppliedAuth, RequestAuth } from './request-auth.interface';

/** OAuth2 tokens from a TokenManager as `Authorization: <type> <token>` (RFC 6750 §2.1). */
export class TokenAuth implements RequestAuth {
  readonly kind = 'token';
  readonly headerNames: readonly string[] = ['Authorization'];
  /** Tokens change; they are never logged because the Authorization header is always redacted. */
  readonly secrets: readonly string[] = [];

  constructor(readonly tokenManager: TokenManager) {}

  /** Synchronous while the manager holds a token: no promise on the request path. */
  apply(): AppliedAuth | Promise<AppliedAuth> {
    const held = this.tokenManager.heldToken();
    if (held) return applied(held);
    return this.tokenManager.getToken().then(applied);
  }

  /** Drops exactly the refused token; a newer one a peer stored meanwhile is kept. */
  async onUnauthorized(refused: AppliedAuth): Promise<void> {
    await this.tokenManager.invalidate(refused.token);
  }
}

function applied(token: TokenData): AppliedAuth {
  return { headers: { Authorization: token.authorizationHeader }, token };
}
