import { AppliedAuth } from '../auth/request-auth.interface';

/**
 * The credential an attempt sent, by the typed error that attempt ended with: the auth retry
 * invalidates exactly that token, and only a refused token makes the final 401 an
 * authentication failure. Kept off the error object itself so it is never serialized.
 */
const sent = new WeakMap<object, AppliedAuth>();

export function recordSentCredential(error: unknown, applied: AppliedAuth): void {
  if (typeof error === 'object' && error !== null) sent.set(error, applied);
}

export function sentCredentialOf(error: unknown): AppliedAuth | undefined {
  return typeof error === 'object' && error !== null ? sent.get(error) : undefined;
}
