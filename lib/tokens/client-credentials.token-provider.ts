import { OptionChecker } from '../errors/option-checker';
import { OAuthTokenProvider } from './oauth-token-provider';
import {
  checkProviderOptions,
  ClientCredentialsTokenProviderOptions,
} from './token-provider.options';

const RESERVED_PARAMS = [
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'username',
  'password',
];

/** RFC 6749 §4.4: the client asks for a token on its own behalf with its own credentials. */
export class ClientCredentialsTokenProvider extends OAuthTokenProvider {
  constructor(
    options: ClientCredentialsTokenProviderOptions,
    check: OptionChecker = new OptionChecker('ClientCredentialsTokenProvider'),
  ) {
    const checked = checkProviderOptions(options, check, true);
    check.optionalString('grantType', options.grantType);
    check.optionalString('audience', options.audience);
    const { grantType = 'client_credentials', scope, audience } = options;
    const extraParams = options.extraParams ?? {};
    for (const [name, value] of Object.entries(check.record('extraParams', extraParams))) {
      check.string(`extraParams.${name}`, value);
      if (RESERVED_PARAMS.includes(name)) {
        check.fail(`extraParams.${name}`, 'cannot be set through extraParams');
      }
    }
    const params = JSON.stringify(Object.entries(extraParams).sort());
    // §4.4.2: grant_type and scope; audience is the common extension (Auth0, RFC 8693 wording).
    const grant = { ...extraParams, grant_type: grantType, scope, audience };
    super(options, checked, [grantType, scope, audience, params], grant);
  }
}
