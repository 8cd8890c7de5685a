import { createHash, createSecretKey, KeyObject, randomUUID, X509Certificate } from 'node:crypto';
import { OptionChecker } from '../errors/option-checker';
import { checkPrivateSigningKey, signJws } from './jws';
import type { OAuthProviderCommonOptions } from './token-provider.options';

/**
 * RFC 7523 §3: a new assertion per request, with its own `jti` (servers refuse a replayed one),
 * valid for 60 s as it is sent at once; `nbf` because some IdPs (Entra ID) require it.
 */
export function assertionSigner(
  options: OAuthProviderCommonOptions,
  authMethod: 'client_secret_jwt' | 'private_key_jwt',
  check: OptionChecker,
): () => string {
  check.optionalString('keyId', options.keyId);
  const audience = check.optionalString('assertionAudience', options.assertionAudience);
  const signingKey =
    authMethod === 'client_secret_jwt'
      ? secretSigningKey(options.clientSecret as string, options.algorithm, check)
      : checkPrivateSigningKey(options.privateKey, options.algorithm, check);
  const { clientId, keyId, assertionCertificate } = options;
  const header = {
    typ: 'JWT',
    ...(keyId !== undefined ? { kid: keyId } : {}),
    ...(assertionCertificate !== undefined
      ? certificateThumbprints(assertionCertificate, signingKey.key, check)
      : {}),
  };
  const aud = audience ?? options.tokenUrl;
  return () => {
    const iat = Math.floor(Date.now() / 1000);
    return signJws(
      header,
      { iss: clientId, sub: clientId, aud, jti: randomUUID(), iat, nbf: iat, exp: iat + 60 },
      signingKey,
    );
  };
}

/** The `x5t#S256` and `x5t` of a certificate, checked to belong to the assertion's key. */
function certificateThumbprints(
  pem: unknown,
  key: KeyObject,
  check: OptionChecker,
): Record<'x5t#S256' | 'x5t', string> {
  const text = check.string('assertionCertificate', pem);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(text);
  } catch {
    return check.fail('assertionCertificate', 'is not a PEM certificate');
  }
  if (!certificate.checkPrivateKey(key)) {
    check.fail('assertionCertificate', 'is not the certificate of privateKey');
  }
  const thumbprint = (algorithm: string) =>
    createHash(algorithm).update(certificate.raw).digest('base64url');
  return { 'x5t#S256': thumbprint('sha256'), x5t: thumbprint('sha1') };
}

/** RFC 7518 §3.2: an HS256 key is at least 256 bits. */
function secretSigningKey(secret: string, algorithm: unknown, check: OptionChecker) {
  if (algorithm !== undefined) check.oneOf('algorithm', algorithm, ['HS256']);
  if (Buffer.byteLength(secret, 'utf8') < 32) {
    check.fail(
      'clientSecret',
      "must be at least 32 bytes for authMethod 'client_secret_jwt' (HS256)",
    );
  }
  return { algorithm: 'HS256' as const, key: createSecretKey(Buffer.from(secret, 'utf8')) };
}
