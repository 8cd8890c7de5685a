import { randomUUID } from 'node:crypto';
import { JwsSigningKey, signJws } from './jws';

/** RFC 7523 §2.2 */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Lifetime of an assertion: it is made for one request and sent at once. */
const LIFETIME_SECONDS = 60;

export interface ClientAssertionOptions {
  clientId: string;
  /** The token endpoint URL, or the audience the IdP asks for (often its issuer). */
  audience: string;
  signingKey: JwsSigningKey;
  keyId?: string;
}

/**
 * Client authentication with a signed JWT (RFC 7523 §2.2, §3; OIDC Core §9): `client_secret_jwt`
 * (HS256 over the client secret) and `private_key_jwt`. Every request gets a new assertion, with
 * its own `jti`: servers refuse a replayed one.
 */
export class ClientAssertion {
  constructor(private readonly options: ClientAssertionOptions) {}

  /**
   * The form fields of one token request (`client_assertion_type`, `client_assertion`), and what
   * its errors must not show: the assertion, and its signature, which a server may echo alone.
   */
  formFields(nowMs: number = Date.now()): {
    fields: { client_assertion_type: string; client_assertion: string };
    secrets: string[];
  } {
    const { clientId, audience, signingKey, keyId } = this.options;
    const iat = Math.floor(nowMs / 1000);
    const assertion = signJws(
      { typ: 'JWT', ...(keyId !== undefined ? { kid: keyId } : {}) },
      {
        iss: clientId,
        sub: clientId,
        aud: audience,
        jti: randomUUID(),
        iat,
        // Some IdPs (Entra ID) require nbf.
        nbf: iat,
        exp: iat + LIFETIME_SECONDS,
      },
      signingKey,
    );
    return {
      fields: { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion },
      secrets: [assertion, assertion.slice(assertion.lastIndexOf('.') + 1)],
    };
  }
}
