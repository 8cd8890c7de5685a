/** A value in a step's request body; strings may hold `{{step_name}}` placeholders. */
export type RequestDataValue =
  | string
  | number
  | boolean
  | null
  | readonly RequestDataValue[]
  | { readonly [key: string]: RequestDataValue };

export type RequestData = Record<string, RequestDataValue>;

export type TokenRequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

/** Options every pipeline step shares, whichever part of the response holds the token. */
export interface TokenFetcherOptions {
  /** Unique in its pipeline; names the step in storage keys, placeholders, errors and logs. */
  name: string;
  baseUrl: string;
  /** Path under `baseUrl` (`/oauth/token` and `oauth/token` both keep the base path). */
  endpoint: string;
  /** Default `'POST'`. With `'GET'`, `requestData` is sent as the query string. */
  method?: TokenRequestMethod | Lowercase<TokenRequestMethod>;
  requestData?: RequestData;
  requestHeaders?: Record<string, string>;
  /** Body encoding: `'form'` (default, `application/x-www-form-urlencoded`) or `'json'`. */
  contentType?: 'form' | 'json';
  /** Dot path in the JSON response body to the token type; absent: `Bearer`. */
  tokenTypeField?: string;
  /** Dot path to the lifetime in seconds. Default `'expires_in'`. */
  expiresInField?: string;
  refreshTokenField?: string;
  /** Milliseconds to keep this step's token; the shorter of this and `expires_in` wins. */
  ttl?: number;
  /** Steps whose tokens this step needs: fetched first, readable through the context. */
  dependsOn?: readonly string[];
  /** Milliseconds before the token request is abandoned, body included. Default 10 000. */
  timeout?: number;
  /** Largest response body read, in bytes; a larger one fails the step. Default 65 536. */
  maxTokenResponseBytes?: number;
}

export interface BodyTokenFetcherOptions extends TokenFetcherOptions {
  /** Dot path in the JSON response body to the token. Default `'access_token'`. */
  tokenField?: string;
}

export interface HeaderTokenFetcherOptions extends TokenFetcherOptions {
  /** Response header holding the token, matched case-insensitively. Default `'Authorization'`. */
  tokenHeader?: string;
}
