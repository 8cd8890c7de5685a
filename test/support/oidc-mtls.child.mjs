// Mutual TLS for oidc-server.child.mjs: an https server that asks every client for a certificate,
// oidc-provider's mTLS feature (tls_client_auth, certificate-bound tokens, RFC 8705) reading the
// socket's peer certificate, and a protected API that accepts a bound token only over a
// connection with its certificate.
import { createHash, X509Certificate } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/** An http server, or with `tls` ({ cert, key, ca }) an https one asking for client certificates. */
export function createListeningServer(tls) {
  if (!tls) return createHttpServer();
  // A client without a certificate may still connect (introspection, a refused client):
  // oidc-provider decides, through certificateAuthorized below.
  return createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: false });
}

function peerCertificate(socket) {
  const peer =
    typeof socket?.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  return peer?.raw ? new X509Certificate(peer.raw) : undefined;
}

/** RFC 4514 DN `CN=a,O=b` as a set of `type=value` pairs, compared without order. */
function dnPairs(dn) {
  return new Set(
    dn
      .split(/[,\n]/)
      .map((part) => part.trim())
      .filter(Boolean),
  );
}

/** oidc-provider's default client authentication methods, and both of RFC 8705 §2. */
export const MTLS_CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_jwt',
  'client_secret_post',
  'private_key_jwt',
  'none',
  'tls_client_auth',
  'self_signed_tls_client_auth',
];

/** `features.mTLS` of oidc-provider 9. */
export function mtlsFeature() {
  return {
    enabled: true,
    tlsClientAuth: true,
    // §2.2: the peer certificate must be one in the client's registered jwks (x5c).
    selfSignedTlsClientAuth: true,
    certificateBoundAccessTokens: true,
    getCertificate: (ctx) => peerCertificate(ctx.socket),
    // Verified against the CA the server was given (requestCert with rejectUnauthorized off).
    certificateAuthorized: (ctx) => ctx.socket.authorized === true,
    certificateSubjectMatches: (ctx, property, expected) => {
      const cert = peerCertificate(ctx.socket);
      if (!cert || property !== 'tls_client_auth_subject_dn') return false;
      const actual = dnPairs(cert.subject);
      const wanted = dnPairs(expected);
      return actual.size === wanted.size && [...wanted].every((pair) => actual.has(pair));
    },
  };
}

/**
 * GET /api/resource with `Authorization: Bearer <token>`: 200 `{ client_id, bound }` for a live
 * client-credentials token, and for a certificate-bound one (RFC 8705 §3) only when the
 * connection's certificate has the token's `x5t#S256`; 401 with a Bearer challenge otherwise.
 */
export async function protectedResource(provider, req, res) {
  const refuse = (description) => {
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    });
    res.end(JSON.stringify({ error: 'invalid_token' }));
  };
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return refuse('no bearer token');
  const token = await provider.ClientCredentials.find(match[1]);
  if (!token || token.isExpired) return refuse('token not active');
  const bound = token['x5t#S256'];
  if (bound) {
    const cert = peerCertificate(req.socket);
    const thumbprint = cert && createHash('sha256').update(cert.raw).digest('base64url');
    if (thumbprint !== bound) return refuse('certificate does not match the token');
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ client_id: token.clientId, bound: !!bound }));
}
