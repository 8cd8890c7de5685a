import { EventEmitter } from 'node:events';
import { Stream } from 'node:stream';
import { headerText, plainHeaders } from '../transport/header-values';

/** The one place that decides what is secret: logging, errors and `toCurl` redact through here. */
const REDACTED = '***';

/** Header names, query parameters and body fields whose values are never shown. */
const DEFAULT_SENSITIVE_KEYS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'dpop',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'api_key',
  'client_secret',
  'client_assertion',
  'password',
  'refresh_token',
  'access_token',
  'id_token',
  'token',
  'secret',
];

/**
 * `Bearer abc.def`, `Basic dXNlcjpwYXNz` in free text (RFC 6750 §2.1 b64token, RFC 7617); not a
 * challenge's parameters (`Bearer error="invalid_token"`), which callers parse.
 */
const CREDENTIAL_IN_TEXT =
  /\b(Bearer|Basic|DPoP)\s+(?!\*\*\*|(?:realm|error|error_description|error_uri|scope|charset|algs)\s*=)([A-Za-z0-9\-._~+/]+=*)/gi;
/** `Basic authentication failed`, `Bearer token required`: a plain word is prose, not a credential. */
const PROSE_WORD = /^[A-Za-z][a-z]*$/;
/** `key=value` as in a query string or form body; the value ends at a delimiter. */
const PAIR_IN_TEXT = /(?<=^|[?&;\s"'(,])([A-Za-z0-9_.\-[\]%]+)=(?!\*\*\*)[^&\s"'#;,)]*/g;

export class Redactor {
  private readonly keys: ReadonlySet<string>;
  /** The secrets as given; `secrets` adds the forms they are sent and echoed in. */
  private readonly given: readonly string[];
  private readonly secrets: readonly string[];

  /**
   * @param extraKeys names (case-insensitive) to treat as sensitive besides the defaults
   * @param secrets literal values (credentials the caller knows) scrubbed from any text, also
   *   percent-, form- and JSON-encoded (as a form body or a JSON echo carries them)
   */
  constructor(extraKeys: readonly string[] = [], secrets: readonly (string | undefined)[] = []) {
    this.keys = new Set([...DEFAULT_SENSITIVE_KEYS, ...extraKeys].map((k) => k.toLowerCase()));
    this.given = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
    // Longest first so a secret that contains another is replaced whole.
    this.secrets = [...new Set(this.given.flatMap(encodedForms))].sort(
      (a, b) => b.length - a.length,
    );
  }

  /** A redactor with more keys or secrets; this one is left unchanged. */
  extend(extraKeys: readonly string[], secrets: readonly (string | undefined)[]): Redactor {
    return new Redactor([...this.keys, ...extraKeys], [...this.given, ...secrets]);
  }

  isSensitive(key: string): boolean {
    return this.keys.has(key.toLowerCase());
  }

  /** `AxiosHeaders` or a plain record; values of sensitive names shown as `***`. */
  headers(headers: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(plainHeaders(headers))) {
      const text = headerText(value);
      if (text !== undefined) out[name] = this.isSensitive(name) ? REDACTED : this.text(text);
    }
    return out;
  }

  /** Redacts sensitive query parameters and user info; leaves everything else readable. */
  url(url: string | undefined): string {
    if (!url) return '';
    const queryStart = url.indexOf('?');
    let base = queryStart >= 0 ? url.slice(0, queryStart) : url;
    base = base.replace(/\/\/[^/@]*@/, `//${REDACTED}@`);
    if (queryStart < 0) return this.text(base);
    const params = url
      .slice(queryStart + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const key = safeDecode(pair.slice(0, eq));
        return this.isSensitive(key) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
      });
    return this.text(`${base}?${params.join('&')}`);
  }

  /**
   * Redacts a request or response body: data, JSON text and form-encoded text. Bytes and streams
   * are shown as a placeholder (`<12 bytes>`, `<stream>`), never read.
   */
  body(body: unknown): unknown {
    if (typeof body === 'string') return this.bodyText(body);
    if (body instanceof URLSearchParams) return this.bodyText(body.toString());
    return this.value(body, []);
  }

  /** Scrubs free text, where servers echo URLs and Authorization headers (error bodies). */
  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.replaceAll(secret, REDACTED);
    out = out.replace(CREDENTIAL_IN_TEXT, (match, scheme: string, value: string) =>
      PROSE_WORD.test(value) ? match : `${scheme} ${REDACTED}`,
    );
    return out.replace(PAIR_IN_TEXT, (match, key: string) =>
      this.isSensitive(safeDecode(key)) ? `${key}=${REDACTED}` : match,
    );
  }

  private bodyText(text: string): string {
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return JSON.stringify(this.value(JSON.parse(trimmed), []));
      } catch {
        return this.text(text);
      }
    }
    if (/^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(trimmed)) {
      return this.url(`?${trimmed}`).slice(1);
    }
    return this.text(text);
  }

  /**
   * Data as JSON shows it (own enumerable fields, `toJSON`), sensitive fields hidden. A live
   * object is not data: an unread response stream reaches its socket, agent and server, a cyclic
   * graph that no depth limit makes small. `path` holds the objects above, to cut cycles.
   */
  private value(value: unknown, path: object[]): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (path.length > 20) return '[deep]';
    if (path.includes(value)) return '[circular]';
    const opaque = placeholder(value);
    if (opaque !== undefined) return opaque;
    path.push(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.value(v, path));
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.value(toJSON.call(value), path);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = this.isSensitive(k) ? REDACTED : this.value(v, path);
      }
      return out;
    } finally {
      path.pop();
    }
  }
}

/** What stands for an object that is not data; `undefined` for data. */
function placeholder(value: object): string | undefined {
  if (ArrayBuffer.isView(value)) return `<${value.byteLength} bytes>`;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    return `<${value.byteLength} bytes>`;
  }
  if (value instanceof Stream || value instanceof ReadableStream) return '<stream>';
  if (value instanceof EventEmitter) return `<${value.constructor?.name ?? 'EventEmitter'}>`;
  return undefined;
}

/**
 * A secret as written, and as servers echo it: percent-encoded (either hex case, or twice), as a
 * form body, as a JSON string (also with `\/` and `\uXXXX` escapes), in base64.
 */
function encodedForms(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    encodeURIComponent(percent),
    new URLSearchParams([['', secret]]).toString().slice(1),
    json,
    json.replaceAll('/', '\\/'),
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    Buffer.from(secret, 'utf8').toString('base64'),
  ];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export const defaultRedactor = new Redactor();
