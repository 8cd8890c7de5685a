import { TokenData } from '../../../lib';

/**
 * Stands in for the TokenManager (built separately): hands out `token-1`, and after the current
 * token is invalidated, `token-2`, and so on. Records what it was asked to invalidate.
 */
export class RotatingTokenManager {
  readonly invalidated: Array<TokenData | undefined> = [];
  private issued = 1;

  async getToken(): Promise<TokenData> {
    return new TokenData({ accessToken: `token-${this.issued}` });
  }

  async invalidate(token?: TokenData): Promise<void> {
    this.invalidated.push(token);
    if (!token || token.accessToken === `token-${this.issued}`) this.issued++;
  }
}
