import { Logger } from '@nestjs/common';
import { AuthenticationException } from '../errors';
import { bindDpopSession } from '../auth/dpop-session';
import { OptionChecker } from '../errors/option-checker';
import { providerCacheKey } from './cache-key';
import { TokenData } from './token-data';
import { TokenEndpointClient } from './token-endpoint.client';
import { TokenProvider } from './token-provider.interface';
import {
  PasswordGrantTokenProviderOptions,
  validatePasswordGrantOptions,
} from './token-provider.options';

/**
 * RFC 6749 §4.3 (resource owner password credentials) with §6 refresh: a token with a refresh
 * token is renewed with `grant_type=refresh_token`; when the server refuses that refresh, the
 * password grant is used again.
 */
export class PasswordGrantTokenProvider implements TokenProvider {
  readonly serviceName: string;
  readonly cacheKey: string;
  private readonly logger = new Logger(PasswordGrantTokenProvider.name);
  private readonly endpoint: TokenEndpointClient;
  /** §4.3.2 */
  private readonly grant: Record<string, string | undefined>;

  constructor(
    options: PasswordGrantTokenProviderOptions,
    check: OptionChecker = new OptionChecker('PasswordGrantTokenProvider'),
  ) {
    const checked = validatePasswordGrantOptions(options, check);
    this.serviceName = options.serviceName;
    const { tokenUrl, clientId, username, password, scope } = options;
    this.grant = { grant_type: 'password', username, password, scope };
    bindDpopSession(this, checked.dpop);
    // The user is part of the key: two users never share a token.
    this.cacheKey = providerCacheKey([tokenUrl, clientId, 'password', scope, username], checked);
    this.endpoint = new TokenEndpointClient({ ...options, ...checked });
  }

  get fetchTimeoutMs(): number {
    return 2 * this.endpoint.worstCaseDurationMs;
  }

  fetchToken(): Promise<TokenData> {
    return this.endpoint.requestToken(this.grant);
  }

  /** §6; a refused refresh (`invalid_grant` and the like) falls back to the password grant. */
  async refreshToken(current: TokenData): Promise<TokenData> {
    if (!current.refreshToken) return this.fetchToken();
    let renewed: TokenData;
    try {
      renewed = await this.endpoint.requestToken({
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
        scope: this.grant.scope,
      });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.logger.log(
        `Refresh for "${this.serviceName}" refused (${error.error ?? error.status}); using the password grant`,
      );
      return this.fetchToken();
    }
    // §6: the server may keep the refresh token it issued before.
    if (renewed.refreshToken || !current.refreshToken) return renewed;
    return new TokenData({
      ...renewed.toJSON(),
      expiresAt: renewed.expiresAt,
      refreshToken: current.refreshToken,
    });
  }
}

/** The server answered and said no (4xx); network trouble and 5xx are not refusals. */
function isRefusal(error: unknown): error is AuthenticationException {
  const status = error instanceof AuthenticationException ? (error.status ?? 0) : 0;
  return status >= 400 && status < 500;
}
