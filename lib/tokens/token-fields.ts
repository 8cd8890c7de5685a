import { isVisibleHeaderValue } from '../transport/header-values';
import { TokenExpiry, TokenExpiryInput, tokenExpiry } from './token-expiry';

/** RFC 6749 §7.1, §A.13: a token type is a type name, `1*( %x21 / %x23-5B / %x5D-7E )`. */
const TOKEN_TYPE_NAME = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export interface TokenFieldsInput extends TokenExpiryInput {
  /** The token type as received, if any. */
  tokenType?: string;
  /** How the token and its type are named in messages; default `access_token`, `token_type`. */
  names?: { accessToken: string; tokenType: string };
}

/**
 * The one reading of what a token endpoint or pipeline step returned, before it becomes a
 * `TokenData`: the token and its type must be sendable as they are in an `Authorization` header,
 * and the lifetime must be usable (`tokenExpiry`). Problems name fields, never values.
 */
export function readTokenFields(input: TokenFieldsInput): TokenExpiry {
  const names = input.names ?? { accessToken: 'access_token', tokenType: 'token_type' };
  if (!isVisibleHeaderValue(input.accessToken)) {
    return {
      problem:
        `${names.accessToken} is not a valid header value ` +
        '(visible ASCII only: no line breaks, control or non-ASCII characters)',
    };
  }
  if (input.tokenType !== undefined && !TOKEN_TYPE_NAME.test(input.tokenType)) {
    return {
      problem: `${names.tokenType} is not an RFC 6749 token type name (visible ASCII, no spaces)`,
    };
  }
  return tokenExpiry(input);
}
