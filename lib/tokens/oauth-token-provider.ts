import { bindDpopSession } from '../auth/dpop-session';
import { hashCacheKey } from './cache-key';
import { TokenData } from './token-data';
import { TokenEndpointClient } from './token-endpoint.client';
import { TokenProvider } from './token-provider.interface';
import type { CheckedProviderOptions, OAuthProviderCommonOptions } from './token-provider.options';

/** What the OAuth2 providers share: their checked options' endpoint client, key and grant. */
export abstract class OAuthTokenProvider implements TokenProvider {
  readonly serviceName: string;
  readonly cacheKey: string;
  protected readonly endpoint: TokenEndpointClient;

  /** @param keyParts what the token depends on besides the token URL and the client id */
  protected constructor(
    options: OAuthProviderCommonOptions,
    checked: CheckedProviderOptions,
    keyParts: readonly (string | undefined)[],
    protected readonly grant: Readonly<Record<string, string | undefined>>,
  ) {
    bindDpopSession(this, checked.dpop);
    this.serviceName = options.serviceName;
    // Bound tokens are keyed by public thumbprint too (a client certificate, RFC 8705 §3; a DPoP
    // key, RFC 9449 §6), so no process takes another's; unbound clients' keys are unchanged.
    const { certificateThumbprint: x5t, dpop } = checked;
    this.cacheKey = hashCacheKey([
      options.tokenUrl,
      options.clientId,
      ...keyParts,
      ...(x5t === undefined ? [] : [`x5t#S256=${x5t}`]),
      ...(dpop === undefined ? [] : [`jkt=${dpop.thumbprint}`]),
    ]);
    this.endpoint = new TokenEndpointClient({ ...options, ...checked });
  }

  get fetchTimeoutMs(): number {
    return this.endpoint.worstCaseDurationMs;
  }

  fetchToken(options?: { signal?: AbortSignal }): Promise<TokenData> {
    return this.endpoint.requestToken(this.grant, options?.signal);
  }

  /** Nest's shutdown: a token request under way stops now, not after its retries. */
  onModuleDestroy(): void {
    this.endpoint.close();
  }
}
