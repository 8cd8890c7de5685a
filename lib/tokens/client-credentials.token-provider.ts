import { bindDpopSession } from '../auth/dpop-session';
import { OptionChecker } from '../errors/option-checker';
import { providerCacheKey } from './cache-key';
import { TokenData } from './token-data';
import { TokenEndpointClient } from './token-endpoint.client';
import { TokenProvider } from './token-provider.interface';
import {
  ClientCredentialsTokenProviderOptions,
  validateClientCredentialsOptions,
} from './token-provider.options';

/** RFC 6749 §4.4: the client asks for a token on its own behalf with its own credentials. */
export class ClientCredentialsTokenProvider implements TokenProvider {
  readonly serviceName: string;
  readonly cacheKey: string;
  private readonly endpoint: TokenEndpointClient;
  private readonly grant: Record<string, string | undefined>;

  constructor(
    options: ClientCredentialsTokenProviderOptions,
    check: OptionChecker = new OptionChecker('ClientCredentialsTokenProvider'),
  ) {
    const checked = validateClientCredentialsOptions(options, check);
    const grantType = options.grantType ?? 'client_credentials';
    bindDpopSession(this, checked.dpop);
    this.serviceName = options.serviceName;
    this.cacheKey = providerCacheKey(
      [
        options.tokenUrl,
        options.clientId,
        grantType,
        options.scope,
        options.audience,
        JSON.stringify(Object.entries(options.extraParams ?? {}).sort()),
      ],
      checked,
    );
    this.endpoint = new TokenEndpointClient({ ...options, ...checked });
    // §4.4.2: grant_type and scope; audience is the common extension (Auth0, RFC 8693 wording).
    this.grant = {
      ...options.extraParams,
      grant_type: grantType,
      scope: options.scope,
      audience: options.audience,
    };
  }

  /** Upper bound of one fetch, retries included; the TokenManager sizes its lock with it. */
  get fetchTimeoutMs(): number {
    return this.endpoint.worstCaseDurationMs;
  }

  fetchToken(): Promise<TokenData> {
    return this.endpoint.requestToken(this.grant);
  }
}
