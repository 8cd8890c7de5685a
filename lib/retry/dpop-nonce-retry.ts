import { isDpopNonceChallenge } from '../auth/www-authenticate';
import { classifyFailure } from './request-failure';
import { RetryDecision } from './retry-loop';

/**
 * RFC 9449 §9: an API that answers 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a
 * `DPoP-Nonce` gets the request again at once, with a new proof carrying that nonce. The token
 * stays: the server refused the proof, not the token. Only for a request that carried our proof.
 */
export const dpopNonceRetry: RetryDecision = (error) => {
  const failure = classifyFailure(error);
  if (failure?.status !== 401 || failure.credentialSent !== true) return undefined;
  if (failure.requestHeaders['dpop'] === undefined || !failure.headers['dpop-nonce']) {
    return undefined;
  }
  return isDpopNonceChallenge(failure.headers['www-authenticate']) ? { delayMs: 0 } : undefined;
};
