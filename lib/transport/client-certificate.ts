import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { createSecureContext } from 'node:tls';
import { OptionChecker } from '../errors/option-checker';

/** A TLS client certificate (PEM): `tls_client_auth` (RFC 8705 §2) and bound tokens (§3). */
export interface ClientCertificate {
  /** The client certificate, PEM (a chain may follow it). */
  cert: string;
  /** Its private key, PEM. */
  key: string;
  /** CA certificates (PEM) trusted for the server instead of Node's defaults (a private PKI). */
  ca?: string;
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
}

/**
 * Fails a broken certificate, key or `ca` at bootstrap rather than at the first handshake, quoting
 * no value. Returns the certificate's RFC 8705 §3.1 `x5t#S256` thumbprint.
 */
export function checkClientCertificate(
  check: OptionChecker,
  field: string,
  value: unknown,
): string {
  const record = check.record(field, value);
  const at = check.at(field);
  at.knownKeys(record, ['cert', 'key', 'ca', 'passphrase']);
  const passphrase = at.optionalString('passphrase', record.passphrase);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(at.string('cert', record.cert));
  } catch {
    return at.fail('cert', 'is not a PEM certificate');
  }
  const keyText = at.string('key', record.key);
  let key;
  try {
    key = createPrivateKey({ key: keyText, format: 'pem', ...(passphrase ? { passphrase } : {}) });
  } catch {
    return at.fail('key', 'is not a PEM private key (or the passphrase does not open it)');
  }
  if (!cert.checkPrivateKey(key)) at.fail('key', `does not belong to ${field}.cert`);
  const ca = at.optionalString('ca', record.ca);
  if (ca !== undefined) {
    try {
      createSecureContext({ ca });
      new X509Certificate(ca);
    } catch {
      at.fail('ca', 'is not a PEM certificate bundle');
    }
  }
  return createHash('sha256').update(cert.raw).digest('base64url');
}

/** `certificate` as TLS options (`tls.connect`, undici's `connect`), absent fields left out. */
export function tlsOptions(certificate: ClientCertificate): ClientCertificate {
  const { cert, key, ca, passphrase } = certificate;
  return { cert, key, ...(ca !== undefined ? { ca } : {}), ...(passphrase ? { passphrase } : {}) };
}

/** An https Agent presenting `certificate` (axios uses it for https URLs). */
export function httpsAgentFor(certificate: ClientCertificate, keepAlive: boolean): HttpsAgent {
  return new HttpsAgent({ ...tlsOptions(certificate), keepAlive });
}
