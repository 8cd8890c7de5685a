import { Logger } from '@nestjs/common';
import { AuthenticationException } from '../errors';
import { OptionChecker } from '../errors/option-checker';
import { OAuthTokenProvider } from './oauth-token-provider';
import { TokenData } from './token-data';
import { checkProviderOptions, PasswordGrantTokenProviderOptions } from './token-provider.options';

/**
 * RFC 6749 §4.3 (resource owner password credentials) with §6 refresh (`grant_type=refresh_token`);
 * a refused refresh falls back to the password grant.
 */
export class PasswordGrantTokenProvider extends OAuthTokenProvider {
  private readonly logger = new Logger(PasswordGrantTokenProvider.name);

  constructor(
    options: PasswordGrantTokenProviderOptions,
    check: OptionChecker = new OptionChecker('PasswordGrantTokenProvider'),
  ) {
    const checked = checkProviderOptions(options, check, false);
    check.string('username', options.username);
    check.string('password', options.password);
    const { username, password, scope } = options;
    // The user is part of the key: two users never share a token. §4.3.2 parameters.
    const grant = { grant_type: 'password', username, password, scope };
    super(options, checked, ['password', scope, username], grant);
  }

  /** A refused refresh is followed by the password grant. */
  override get fetchTimeoutMs(): number {
    return 2 * this.endpoint.worstCaseDurationMs;
  }

  /** §6; a refused refresh (`invalid_grant` and the like) falls back to the password grant. */
  async refreshToken(current: TokenData, options?: { signal?: AbortSignal }): Promise<TokenData> {
    if (!current.refreshToken) return this.fetchToken(options);
    let renewed: TokenData;
    try {
      renewed = await this.endpoint.requestToken(
        {
          grant_type: 'refresh_token',
          refresh_token: current.refreshToken,
          scope: this.grant.scope,
        },
        options?.signal,
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      this.logger.log(
        `Refresh for "${this.serviceName}" refused (${error.error ?? error.status}); using the password grant`,
      );
      return this.fetchToken(options);
    }
    // §6: the server may keep the refresh token it issued before.
    if (renewed.refreshToken) return renewed;
    return TokenData.fromJSON({ ...renewed.toJSON(), refreshToken: current.refreshToken });
  }
}

/** The server answered and said no (4xx); network trouble and 5xx are not refusals. */
function isRefusal(error: unknown): error is AuthenticationException {
  const status = error instanceof AuthenticationException ? (error.status ?? 0) : 0;
  return status >= 400 && status < 500;
}
