import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  compress: createInflate,
  'x-compress': createInflate,
  br: createBrotliDecompress,
};

/**
 * The body decoded as axios' Node adapter decodes it: one content encoding (gzip, deflate, br)
 * through node:zlib, `content-encoding` and `content-length` dropped, error answers included.
 * Hand-written rather than undici's `interceptors.decompress`: that one is experimental (a
 * process warning on first use), absent from early undici 7 releases, skips error answers by
 * default, and cannot be turned off per request as axios' `decompress: false` can.
 * `undefined`: nothing to decode.
 */
export function decodedBody(
  body: Readable,
  headers: IncomingHttpHeaders,
  status: number,
): Readable | undefined {
  const encoding = String(headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder = DECODERS[encoding];
  if (!decoder || status === 204 || status === 304) return undefined;
  delete headers['content-encoding'];
  delete headers['content-length'];
  const decoded = decoder();
  body.on('error', (error) => (decoded as unknown as Readable).destroy(error));
  return body.pipe(decoded) as unknown as Readable;
}
