/** The Node/axios error code of a request that got no answer (`ECONNREFUSED`, `ETIMEDOUT`...). */
export function networkErrorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  // Some network failures leave the AxiosError without a code and put it on its cause.
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** True for the codes axios gives a request that ran out of time. */
export function isTimeoutCode(code: string | undefined): boolean {
  return code !== undefined && TIMEOUT_CODES.has(code);
}
