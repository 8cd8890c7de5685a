// @peculiar/x509 resolves its parts with tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KeyObject, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// node:crypto reads X.509 but cannot issue it; @peculiar/x509 issues on WebCrypto.
x509.cryptoProvider.set(webcrypto as never);

const EC: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' };

export interface IssuedCertificate {
  /** PEM */
  cert: string;
  /** PEM, PKCS#8 */
  key: string;
}

/** A private CA made for one test run, issuing server and client certificates. */
export interface TestPki {
  /** The CA certificate, PEM: what both sides trust. */
  ca: string;
  /** For a TLS server on 127.0.0.1 (IP SAN). */
  server: IssuedCertificate;
  /** For a TLS client, with `subject` as its RFC 4514 subject DN. */
  client: IssuedCertificate & { subject: string };
  /** Another client certificate from the same CA (another subject). */
  otherClient: IssuedCertificate & { subject: string };
}

/** A CA, a server certificate for 127.0.0.1 and two client certificates, all ECDSA P-256. */
export async function createTestPki(clientSubject = 'CN=mtls-client'): Promise<TestPki> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 24 * 3600_000);
  const caKeys = await generateKeys();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Request Forge Test CA',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const issue = async (
    serialNumber: string,
    subject: string,
    usage: x509.ExtendedKeyUsage,
    extra: x509.Extension[] = [],
  ): Promise<IssuedCertificate> => {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject,
      issuer: caCert.subject,
      notBefore,
      notAfter,
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        ...extra,
      ],
    });
    return { cert: cert.toString('pem'), key: pkcs8Pem(keys.privateKey) };
  };
  const server = await issue('02', 'CN=127.0.0.1', x509.ExtendedKeyUsage.serverAuth, [
    new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }]),
  ]);
  const otherSubject = 'CN=another-client';
  return {
    ca: caCert.toString('pem'),
    server,
    client: {
      ...(await issue('03', clientSubject, x509.ExtendedKeyUsage.clientAuth)),
      subject: clientSubject,
    },
    otherClient: {
      ...(await issue('04', otherSubject, x509.ExtendedKeyUsage.clientAuth)),
      subject: otherSubject,
    },
  };
}

/**
 * A self-signed client certificate (RFC 8705 §2.2) and the public JWK that registers it: the key
 * with the certificate as its `x5c`.
 */
export async function createSelfSignedClient(
  subject = 'CN=self-signed-client',
): Promise<IssuedCertificate & { jwk: Record<string, unknown> }> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '05',
    name: subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  const jwk = await webcrypto.subtle.exportKey('jwk', keys.publicKey);
  return {
    cert: cert.toString('pem'),
    key: pkcs8Pem(keys.privateKey),
    jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, x5c: [cert.toString('base64')] },
  };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
}

function pkcs8Pem(key: CryptoKey): string {
  return KeyObject.from(key).export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
}
