import { isVisibleHeaderValue } from '../transport/header-values';

/** RFC 6749 §7.1, §A.13: a token type is a type name, `1*( %x21 / %x23-5B / %x5D-7E )`. */
const TOKEN_TYPE_NAME = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The last instant a `Date` can hold that still reads as a four-digit year. */
const LATEST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A shorter lifetime would make every call fetch a token again. */
export const SHORTEST_LIFETIME_MS = 1_000;

/** `expires_in` as a numeric string: digits, optionally a fraction (no sign, exponent or hex). */
const NUMERIC_SECONDS = /^\d+(\.\d+)?$/;

const RESPONSE_NAMES = {
  accessToken: 'access_token',
  tokenType: 'token_type',
  expiresIn: 'expires_in',
};

interface TokenFieldsInput {
  accessToken: string;
  tokenType?: string;
  /** As received (RFC 6749 §5.1). */
  expiresIn: unknown;
  /** Epoch ms the response was received at. */
  now: number;
  ttlMs?: number;
  defaultLifetimeMs?: number;
  /** How messages name the fields; default the RFC 6749 names. */
  names?: typeof RESPONSE_NAMES;
}

/**
 * The first of `fields` that `record` holds as something other than a string (absent is fine).
 * Token fields come from token responses and from storages other processes write to.
 */
export function nonStringField(
  record: Record<string, unknown>,
  fields: readonly string[],
): string | undefined {
  return fields.find((field) => record[field] !== undefined && typeof record[field] !== 'string');
}

/**
 * Why a token and type cannot go in an `Authorization` header as they are (axios would strip a
 * line break and send a mangled credential), or `undefined`. Names the field, never the value.
 */
export function unsendableField(
  accessToken: string,
  tokenType: string | undefined,
  names: { accessToken: string; tokenType: string } = RESPONSE_NAMES,
): { field: string; problem: string } | undefined {
  if (!isVisibleHeaderValue(accessToken)) {
    return {
      field: names.accessToken,
      problem:
        'is not a valid header value ' +
        '(visible ASCII only: no line breaks, control or non-ASCII characters)',
    };
  }
  if (tokenType !== undefined && !TOKEN_TYPE_NAME.test(tokenType)) {
    return {
      field: names.tokenType,
      problem: 'is not an RFC 6749 token type name (visible ASCII, no spaces)',
    };
  }
  return undefined;
}

/** An expiry (none: kept until invalidated), or why the fields cannot make a token. */
type TokenFields = { expiresAt?: Date } | { problem: string };

/**
 * The one reading of what a token endpoint or pipeline step returned: token and type sendable as
 * they are in an `Authorization` header; the lifetime `expires_in` (seconds, number or numeric
 * string), else the JWT `exp`, else `defaultLifetimeMs` (absent: none), capped by `ttlMs`. Under
 * 1 s, past the year 9999 or not finite is a problem (fetched on every call, or never again).
 * Problems name fields, never values (a misplaced field might hold a secret).
 */
export function readTokenFields(input: TokenFieldsInput): TokenFields {
  const names = input.names ?? RESPONSE_NAMES;
  const unsendable = unsendableField(input.accessToken, input.tokenType, names);
  if (unsendable) return { problem: `${unsendable.field} ${unsendable.problem}` };
  const { now, ttlMs } = input;
  const field = names.expiresIn;
  let fromResponse: number | undefined;
  let source = field;
  if (input.expiresIn !== undefined && input.expiresIn !== null) {
    const seconds = readSeconds(input.expiresIn);
    if (seconds === undefined) return { problem: `${field} is not a number of seconds` };
    fromResponse = now + seconds * 1000;
  } else {
    fromResponse = jwtExpiryMs(input.accessToken);
    source = `the access token's JWT exp (there is no ${field})`;
    if (fromResponse === undefined && input.defaultLifetimeMs !== undefined) {
      fromResponse = now + input.defaultLifetimeMs;
      source = `the default lifetime (there is no ${field})`;
    }
  }
  if (fromResponse !== undefined) {
    if (!Number.isFinite(fromResponse)) return { problem: `${source} is not a finite time` };
    if (fromResponse > LATEST_EXPIRY_MS) {
      return { problem: `${source} gives an expiry past the year 9999` };
    }
    if (fromResponse - now < SHORTEST_LIFETIME_MS) {
      return { problem: `${source} gives a lifetime under 1 s` };
    }
  }
  const expiresAtMs = Math.min(fromResponse ?? Infinity, now + (ttlMs ?? Infinity));
  return expiresAtMs === Infinity ? {} : { expiresAt: new Date(expiresAtMs) };
}

/** Seconds from a JSON number or a numeric string; `undefined` for anything else. */
function readSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value !== 'string' || !NUMERIC_SECONDS.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** A JWT access token's `exp` in epoch ms, unverified: it only decides when to renew. */
function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const exp = (payload as { exp?: unknown } | null)?.exp;
    if (typeof exp === 'number' && !Number.isNaN(exp)) return exp * 1000;
  } catch {
    // Not a JWT after all.
  }
  return undefined;
}
