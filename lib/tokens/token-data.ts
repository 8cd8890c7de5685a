import { inspect } from 'node:util';
import { AuthenticationException } from '../errors';
import { isRecord, OptionChecker } from '../errors/option-checker';
import { nonStringField, readTokenFields, unsendableField } from './token-fields';

/** One hour, the common default of authorization servers (RFC 6749 §5.1 leaves it to them). */
export const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000;

export interface TokenResponseOptions {
  /** Lifetime when the response says nothing about expiry; default `DEFAULT_TOKEN_LIFETIME_MS`. */
  defaultLifetimeMs?: number;
  /** Epoch ms the response was received at; default `Date.now()`. */
  now?: number;
  /** Named in the errors thrown for an invalid response. */
  serviceName?: string;
}

/** How TokenData's own checks name its fields. */
const FIELD_NAMES = { accessToken: 'accessToken', tokenType: 'tokenType' };

/** Fields of a token response (RFC 6749 §5.1) that TokenData keeps apart from `extra`. */
const STANDARD_FIELDS = ['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope'];

export interface TokenDataInit {
  accessToken: string;
  tokenType?: string;
  expiresAt?: Date;
  refreshToken?: string;
  scope?: string;
  extra?: Record<string, unknown>;
}

/** The JSON form used by storages: dates as ISO strings. */
export interface TokenDataJson extends Omit<TokenDataInit, 'tokenType' | 'expiresAt'> {
  tokenType: string;
  expiresAt?: string;
}

/**
 * An access token and what came with it. The token and refresh token are private fields, so that
 * `util.inspect`, `toString` and template strings never show them (`toJSON`, for storages, does).
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
      new OptionChecker('TokenData').fail('accessToken', 'must be a non-empty string');
    }
    if (init.expiresAt !== undefined && Number.isNaN(new Date(init.expiresAt).getTime())) {
      new OptionChecker('TokenData').fail('expiresAt', 'must be a valid Date');
    }
    // A storage entry another writer left (`fromJSON`) may hold anything; a non-string type would
    // only fail later, on every request, when the Authorization header is built.
    const notString = nonStringField({ ...init }, ['tokenType', 'refreshToken', 'scope']);
    if (notString) new OptionChecker('TokenData').fail(notString, 'must be a string');
    // A fetched token passed this already; a stored one with a line break would go out mangled
    // on every request until the entry expires.
    const unsendable = unsendableField(init.accessToken, init.tokenType || undefined, FIELD_NAMES);
    if (unsendable) new OptionChecker('TokenData').fail(unsendable.field, unsendable.problem);
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
      ...data,
      expiresAt: data.expiresAt ? new Date(data.expiresAt) : undefined,
    });
  }

  /**
   * Validates a successful token response (RFC 6749 §5.1; expiry from `expires_in`, else the JWT
   * `exp`, else `defaultLifetimeMs`) and builds the token. An invalid one throws an
   * AuthenticationException that never quotes the response (it may hold a token).
   */
  static fromTokenResponse(body: unknown, options: TokenResponseOptions = {}): TokenData {
    const serviceName = options.serviceName ?? 'token endpoint';
    const invalid = (why: string) =>
      new AuthenticationException(`Token response for "${serviceName}" is invalid: ${why}`, {
        serviceName,
        error: 'invalid_token_response',
      });
    if (!isRecord(body)) throw invalid('expected a JSON object');
    if (typeof body.access_token !== 'string' || body.access_token.trim() === '') {
      throw invalid('access_token is missing or empty');
    }
    if (typeof body.token_type !== 'string' || body.token_type.trim() === '') {
      throw invalid('token_type is missing or not a string');
    }
    const notString = nonStringField(body, ['refresh_token', 'scope']);
    if (notString) throw invalid(`${notString} is not a string`);
    const expiry = readTokenFields({
      accessToken: body.access_token,
      tokenType: body.token_type,
      expiresIn: body.expires_in,
      now: options.now ?? Date.now(),
      defaultLifetimeMs: options.defaultLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
    });
    if ('problem' in expiry) throw invalid(expiry.problem);
    const extra = Object.fromEntries(
      Object.entries(body).filter(([key]) => !STANDARD_FIELDS.includes(key)),
    );
    return new TokenData({
      accessToken: body.access_token,
      tokenType: body.token_type,
      ...expiry,
      refreshToken: body.refresh_token as string | undefined,
      scope: body.scope as string | undefined,
      ...(Object.keys(extra).length ? { extra } : {}),
    });
  }

  toString(): string {
    const parts = [`tokenType=${this.tokenType}`, 'accessToken=***'];
    if (this.expiresAt) parts.push(`expiresAt=${this.expiresAt.toISOString()}`);
    if (this.#refreshToken) parts.push('refreshToken=***');
    if (this.scope !== undefined) parts.push(`scope=${this.scope}`);
    return `TokenData(${parts.join(', ')})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
