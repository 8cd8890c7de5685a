import { OptionChecker } from '../errors/option-checker';
import { ClientCredentialsTokenProvider } from './client-credentials.token-provider';
import { PasswordGrantTokenProvider } from './password-grant.token-provider';
import { TokenProvider } from './token-provider.interface';
import {
  CLIENT_CREDENTIALS_KEYS,
  ClientCredentialsTokenProviderOptions,
  PASSWORD_GRANT_KEYS,
  PasswordGrantTokenProviderOptions,
} from './token-provider.options';

/** `auth: { type: 'client-credentials', ... }` in a client's plain options. */
export type ClientCredentialsAuthOptions = Omit<
  ClientCredentialsTokenProviderOptions,
  'serviceName'
> & { type: 'client-credentials' };

/** `auth: { type: 'password', ... }` in a client's plain options. */
export type PasswordAuthOptions = Omit<PasswordGrantTokenProviderOptions, 'serviceName'> & {
  type: 'password';
};

export type OAuthAuthOptions = ClientCredentialsAuthOptions | PasswordAuthOptions;

/** The provider of a client's plain OAuth2 `auth`; the client's name is its service name. */
export function createTokenProvider(clientName: string, auth: OAuthAuthOptions): TokenProvider {
  const check = OptionChecker.forClient(clientName, 'auth.');
  check.record('', auth);
  const { type, ...options } = auth;
  if (type !== 'client-credentials' && type !== 'password') {
    return check.fail('type', "must be 'client-credentials' or 'password' for a token provider");
  }
  const credentials = type === 'client-credentials';
  const known = credentials ? CLIENT_CREDENTIALS_KEYS : PASSWORD_GRANT_KEYS;
  // The client's name is its service name: `serviceName` here would be silently replaced.
  check.knownKeys(options, ['type', ...known.filter((key) => key !== 'serviceName')]);
  const named = { ...options, serviceName: clientName };
  return credentials
    ? new ClientCredentialsTokenProvider(named as ClientCredentialsTokenProviderOptions, check)
    : new PasswordGrantTokenProvider(named as PasswordGrantTokenProviderOptions, check);
}
