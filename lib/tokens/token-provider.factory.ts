import { ConfigurationException } from '../errors';
import { ClientCredentialsTokenProvider } from './client-credentials.token-provider';
import { PasswordGrantTokenProvider } from './password-grant.token-provider';
import { TokenProvider } from './token-provider.interface';
import { OAuthProviderCommonOptions } from './token-provider.options';

type CommonAuthOptions = Omit<OAuthProviderCommonOptions, 'serviceName'>;

/** `auth: { type: 'client-credentials', ... }` in a client's plain options. */
export interface ClientCredentialsAuthOptions extends CommonAuthOptions {
  type: 'client-credentials';
  clientSecret: string;
  audience?: string;
  extraParams?: Record<string, string>;
  grantType?: string;
}

/** `auth: { type: 'password', ... }` in a client's plain options. */
export interface PasswordAuthOptions extends CommonAuthOptions {
  type: 'password';
  clientSecret?: string;
  username: string;
  password: string;
}

export type OAuthAuthOptions = ClientCredentialsAuthOptions | PasswordAuthOptions;

/**
 * Builds the provider for a client's plain (serializable) OAuth2 auth options. The client's name
 * is the service name; errors name the client and the field (`Client "svc": auth.tokenUrl ...`).
 */
export function createTokenProvider(clientName: string, auth: OAuthAuthOptions): TokenProvider {
  const source = { context: `Client "${clientName}"`, fieldPrefix: 'auth.', clientName };
  if (!auth || typeof auth !== 'object') {
    throw new ConfigurationException(`${source.context}: auth must be an object`, {
      field: 'auth',
      clientName,
    });
  }
  const { type, ...options } = auth;
  switch (type) {
    case 'client-credentials':
      return new ClientCredentialsTokenProvider(
        { ...(options as Omit<ClientCredentialsAuthOptions, 'type'>), serviceName: clientName },
        source,
      );
    case 'password':
      return new PasswordGrantTokenProvider(
        { ...(options as Omit<PasswordAuthOptions, 'type'>), serviceName: clientName },
        source,
      );
    default:
      throw new ConfigurationException(
        `${source.context}: auth.type must be 'client-credentials' or 'password' for a token provider`,
        { field: 'auth.type', clientName },
      );
  }
}
