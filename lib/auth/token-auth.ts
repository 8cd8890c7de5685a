import { TokenManager } from '../tokens/token-manager';
import { AppliedAuth, RequestAuth } from './request-auth.interface';

/** OAuth2 tokens from a TokenManager as `Authorization: <type> <token>` (RFC 6750 §2.1). */
export class TokenAuth implements RequestAuth {
  readonly kind = 'token';
  readonly headerNames: readonly string[] = ['Authorization'];
  /** Tokens change; they are never logged because the Authorization header is always redacted. */
  readonly secrets: readonly string[] = [];

  constructor(readonly tokenManager: TokenManager) {}

  async apply(): Promise<AppliedAuth> {
    const token = await this.tokenManager.getToken();
    return { headers: { Authorization: token.authorizationHeader }, token };
  }

  /** Drops exactly the refused token; a newer one a peer stored meanwhile is kept. */
  async onUnauthorized(refused: AppliedAuth): Promise<void> {
    await this.tokenManager.invalidate(refused.token);
  }
}
