/** What fetchers read from a step's HTTP answer; the shapes a custom fetcher works with. */

/**
 * A step's HTTP answer as fetchers read it: lower-case header names; the body parsed as JSON, or
 * the text itself when it is not JSON.
 */
export interface TokenHttpResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  data: unknown;
}

/** A field the response lacked; says where, never what was there (it may be a token). */
export interface MissingToken {
  problem: string;
}

/** What a step read from its response, before the pipeline's lifetime rules apply. */
export interface TokenResponseFields {
  accessToken: string;
  tokenType?: string;
  refreshToken?: string;
  /**
   * The lifetime as received: seconds as a number or numeric string, like `expires_in` (RFC 6749
   * §5.1) gives it. Checked by the same rules as a token endpoint's.
   */
  expiresIn?: unknown;
}
