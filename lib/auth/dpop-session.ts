import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { AuthenticationException } from '../errors';
import { signJws } from '../tokens/jws';
import { TokenData } from '../tokens/token-data';
import { lowerCaseHeaders } from '../transport/header-values';
import { DpopKey } from './dpop-key';
import type { AuthTarget } from './request-auth.interface';

/** RFC 9449 §8.1: `nonce = 1*NQCHAR`; anything else is not put into a proof. */
const NONCE = /^[\x21\x23-\x5B\x5D-\x7E]{1,1024}$/;

/**
 * A client's DPoP key and each origin's last `DPoP-Nonce` (RFC 9449), shared by its token endpoint
 * client and its token auth so that both sign with the key the token is bound to.
 */
export class DpopSession {
  readonly #key: DpopKey;
  readonly #nonces = new Map<string, string>();

  constructor(key: DpopKey) {
    this.#key = key;
  }

  /** RFC 7638 thumbprint of the public key: part of the token storage key. */
  get thumbprint(): string {
    return this.#key.thumbprint;
  }

  /** A proof (§4.2) for one attempt (`jti` is single use), with the origin's nonce and `ath`. */
  proof(method: string, url: string, accessToken?: string): string {
    const htu = new URL(url);
    const nonce = this.#nonces.get(htu.origin);
    // §4.2: `htu` is the target URI without query and fragment.
    htu.search = '';
    htu.hash = '';
    return signJws(
      { typ: 'dpop+jwt', jwk: this.#key.publicJwk },
      {
        jti: randomBytes(16).toString('base64url'),
        htm: method.toUpperCase(),
        htu: htu.toString(),
        iat: Math.floor(Date.now() / 1000),
        ...(accessToken === undefined
          ? {}
          : { ath: createHash('sha256').update(accessToken, 'ascii').digest('base64url') }),
        ...(nonce !== undefined ? { nonce } : {}),
      },
      this.#key.signingKey,
    );
  }

  /** §8, §9: keeps a response's `DPoP-Nonce` for that origin; false when it had none usable. */
  rememberNonce(url: string, headers: unknown): boolean {
    const value = lowerCaseHeaders(headers)['dpop-nonce']?.trim();
    if (value === undefined || !NONCE.test(value)) return false;
    this.#nonces.set(new URL(url).origin, value);
    return true;
  }

  /** `Authorization: DPoP <token>` and its proof (§7.1); a non-DPoP token is never sent. */
  headers(token: TokenData, target: AuthTarget, serviceName: string): Record<string, string> {
    if (!isDpopTokenType(token.tokenType)) {
      throw new AuthenticationException(
        `Token for "${serviceName}" has token_type ${token.tokenType}, but DPoP is configured: ` +
          'it is not sent as a bearer token',
        { serviceName, error: 'invalid_token_type' },
      );
    }
    return {
      Authorization: `DPoP ${token.accessToken}`,
      DPoP: this.proof(target.method, target.url, token.accessToken),
    };
  }

  [inspect.custom](): string {
    return `DpopSession(${this.#key.signingKey.algorithm}, jkt=${this.#key.thumbprint})`;
  }

  toJSON(): Record<string, string> {
    return { algorithm: this.#key.signingKey.algorithm, jkt: this.#key.thumbprint };
  }
}

/** RFC 9449 §5: the token type of a DPoP-bound token (compared case-insensitively). */
export function isDpopTokenType(tokenType: string): boolean {
  return tokenType.toLowerCase() === 'dpop';
}

/** Sessions by the object they belong to: a token provider, then its token manager. */
const sessions = new WeakMap<object, DpopSession>();

export function bindDpopSession(owner: object, session: DpopSession | undefined): void {
  if (session) sessions.set(owner, session);
}

export function dpopSessionOf(owner: object): DpopSession | undefined {
  return sessions.get(owner);
}
