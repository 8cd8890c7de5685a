import {
  HttpClientConfigBuilder,
  TokenData,
  TokenManager,
  TokenProvider,
} from 'nestjs-request-forge';

/** Whatever your identity provider's SDK offers. */
interface VaultClient {
  issueToken(role: string): Promise<{ token: string; ttlSeconds: number }>;
}

/** Tokens from a source the built-in providers do not speak to. */
export class VaultTokenProvider implements TokenProvider {
  readonly serviceName = 'billing';
  // What the token depends on (no secrets): part of the storage key.
  readonly cacheKey = 'vault:billing-reader';

  constructor(private readonly vault: VaultClient) {}

  async fetchToken(): Promise<TokenData> {
    const issued = await this.vault.issueToken('billing-reader');
    return new TokenData({
      accessToken: issued.token,
      expiresAt: new Date(Date.now() + issued.ttlSeconds * 1000),
    });
  }

  // Optional: renew cheaper than fetchToken(), e.g. with a refresh token.
  refreshToken(): Promise<TokenData> {
    return this.fetchToken();
  }
}

export function billingConfig(vault: VaultClient) {
  const tokens = new TokenManager(new VaultTokenProvider(vault));
  return new HttpClientConfigBuilder()
    .withBaseUrl('https://billing.example.com')
    .withTokenAuth(tokens)
    .build();
}
