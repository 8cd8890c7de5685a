import { TokenData } from '../tokens/token-data';
import type { DpopSession } from './dpop-session';

/** The request a credential is applied to, as it is sent (DPoP proofs name it). */
export interface AuthTarget {
  /** Upper-case HTTP method. */
  method: string;
  /** Absolute URL. */
  url: string;
}

/** What one auth method put on one request. */
export interface AppliedAuth {
  /** Headers carrying the credential; a header the caller set on the request wins over these. */
  headers: Record<string, string>;
  /** The token that was sent, so that a 401 invalidates exactly that token. */
  token?: TokenData;
}

/** One auth method of a client: `apply()` runs once per attempt that carries the credential. */
export interface RequestAuth {
  readonly kind: 'bearer' | 'api-key' | 'basic' | 'token';
  /** Every header name this method may write; removed on a redirect to another origin. */
  readonly headerNames: readonly string[];
  /** Literal secret values this method knows, scrubbed from any text we log or throw. */
  readonly secrets: readonly string[];
  /** Token auth with DPoP (RFC 9449): signs each request and keeps each response's nonce. */
  readonly dpop?: DpopSession;
  apply(target?: AuthTarget): AppliedAuth | Promise<AppliedAuth>;
  /** Dynamic auth only: forget the refused credential so that the next `apply()` gets a new one. */
  onUnauthorized?(refused: AppliedAuth): Promise<void>;
}
