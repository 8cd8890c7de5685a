import { inspect } from 'node:util';
import { ConfigurationException } from '../errors';

export interface TokenDataInit {
  accessToken: string;
  tokenType?: string;
  expiresAt?: Date;
  refreshToken?: string;
  scope?: string;
  extra?: Record<string, unknown>;
}

/** The JSON form used by storages: dates as ISO strings. */
export interface TokenDataJson {
  accessToken: string;
  tokenType: string;
  expiresAt?: string;
  refreshToken?: string;
  scope?: string;
  extra?: Record<string, unknown>;
}

/**
 * An access token and what came with it. The token and refresh token live in private fields so
 * that `util.inspect`, `toString` and template strings never show them; `toJSON` does include
 * them because storages persist it.
 */
export class TokenData {
  readonly #accessToken: string;
  readonly #refreshToken?: string;
  readonly tokenType: string;
  readonly expiresAt?: Date;
  readonly scope?: string;
  readonly extra?: Readonly<Record<string, unknown>>;

  constructor(init: TokenDataInit) {
    if (typeof init.accessToken !== 'string' || init.accessToken.trim() === '') {
      throw new ConfigurationException('TokenData: accessToken must be a non-empty string', {
        field: 'accessToken',
      });
    }
    if (init.expiresAt !== undefined && Number.isNaN(new Date(init.expiresAt).getTime())) {
      throw new ConfigurationException('TokenData: expiresAt must be a valid Date', {
        field: 'expiresAt',
      });
    }
    this.#accessToken = init.accessToken;
    this.#refreshToken = init.refreshToken || undefined;
    this.tokenType = init.tokenType || 'Bearer';
    if (init.expiresAt !== undefined) this.expiresAt = new Date(init.expiresAt);
    if (init.scope !== undefined) this.scope = init.scope;
    if (init.extra !== undefined) this.extra = Object.freeze({ ...init.extra });
    Object.freeze(this);
  }

  get accessToken(): string {
    return this.#accessToken;
  }

  get refreshToken(): string | undefined {
    return this.#refreshToken;
  }

  /** True when the token expires within `skewMs` from now (epoch ms, time-zone independent). */
  isExpired(skewMs = 0, now = Date.now()): boolean {
    if (!this.expiresAt) return false;
    return now + skewMs >= this.expiresAt.getTime();
  }

  /** Milliseconds until expiry (negative when expired), or undefined when it never expires. */
  expiresInMs(now = Date.now()): number | undefined {
    return this.expiresAt ? this.expiresAt.getTime() - now : undefined;
  }

  /** The `Authorization` header value. RFC 6750 `bearer` is sent as `Bearer`. */
  get authorizationHeader(): string {
    const type = this.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : this.tokenType;
    return `${type} ${this.#accessToken}`;
  }

  /** Same token (same access token value). */
  sameTokenAs(other: TokenData | undefined): boolean {
    return !!other && other.accessToken === this.#accessToken;
  }

  toJSON(): TokenDataJson {
    return {
      accessToken: this.#accessToken,
      tokenType: this.tokenType,
      ...(this.expiresAt ? { expiresAt: this.expiresAt.toISOString() } : {}),
      ...(this.#refreshToken ? { refreshToken: this.#refreshToken } : {}),
      ...(this.scope !== undefined ? { scope: this.scope } : {}),
      ...(this.extra !== undefined ? { extra: { ...this.extra } } : {}),
    };
  }

  static fromJSON(json: TokenDataJson | string): TokenData {
    const data: TokenDataJson = typeof json === 'string' ? JSON.parse(json) : json;
    return new TokenData({
      accessToken: data.accessToken,
      tokenType: data.tokenType,
      expiresAt: data.expiresAt ? new Date(data.expiresAt) : undefined,
      refreshToken: data.refreshToken,
      scope: data.scope,
      extra: data.extra,
    });
  }

  toString(): string {
    return `TokenData(${this.describe()})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  private describe(): string {
    const parts = [`tokenType=${this.tokenType}`, 'accessToken=***'];
    if (this.expiresAt) parts.push(`expiresAt=${this.expiresAt.toISOString()}`);
    if (this.#refreshToken) parts.push('refreshToken=***');
    if (this.scope !== undefined) parts.push(`scope=${this.scope}`);
    return parts.join(', ');
  }
}
