import { OptionChecker } from '../errors/option-checker';
import { OAuthTokenProvider } from './oauth-token-provider';
import {
  ClientCredentialsTokenProviderOptions,
  validateClientCredentialsOptions,
} from './token-provider.options';

/** RFC 6749 §4.4: the client asks for a token on its own behalf with its own credentials. */
export class ClientCredentialsTokenProvider extends OAuthTokenProvider {
  constructor(
    options: ClientCredentialsTokenProviderOptions,
    check: OptionChecker = new OptionChecker('ClientCredentialsTokenProvider'),
  ) {
    const checked = validateClientCredentialsOptions(options, check);
    const { grantType = 'client_credentials', scope, audience, extraParams } = options;
    const params = JSON.stringify(Object.entries(extraParams ?? {}).sort());
    // §4.4.2: grant_type and scope; audience is the common extension (Auth0, RFC 8693 wording).
    const grant = { ...extraParams, grant_type: grantType, scope, audience };
    super(options, checked, [grantType, scope, audience, params], grant);
  }
}
