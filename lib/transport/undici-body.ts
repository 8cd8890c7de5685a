import { AxiosError, AxiosHeaders, InternalAxiosRequestConfig } from 'axios';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export type UndiciBody = string | Buffer | Uint8Array | Readable | FormData | null;

/** `config.data` after axios' request transforms, checked as axios' Node adapter checks it. */
export function requestBody(config: InternalAxiosRequestConfig, headers: AxiosHeaders): UndiciBody {
  const data: unknown = config.data;
  if (data === undefined || data === null) return null;
  if (data instanceof Readable) return limitStream(data, config);
  if (typeof FormData !== 'undefined' && data instanceof FormData) return data;
  let bytes: Buffer;
  if (typeof data === 'string') bytes = Buffer.from(data, 'utf-8');
  else if (Buffer.isBuffer(data)) bytes = data;
  else if (data instanceof ArrayBuffer) bytes = Buffer.from(data);
  else if (ArrayBuffer.isView(data))
    bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  else {
    throw new AxiosError(
      'Data after transformation must be a string, an ArrayBuffer, a Buffer, or a Stream',
      AxiosError.ERR_BAD_REQUEST,
      config,
    );
  }
  const max = config.maxBodyLength;
  if (max !== undefined && max > -1 && bytes.length > max) {
    throw new AxiosError(
      'Request body larger than maxBodyLength limit',
      AxiosError.ERR_BAD_REQUEST,
      config,
    );
  }
  headers.setContentLength(bytes.length, false);
  return bytes;
}

/** A stream body, failing once it passes `maxBodyLength` (as follow-redirects does for axios). */
function limitStream(stream: Readable, config: InternalAxiosRequestConfig): Readable {
  const max = config.maxBodyLength ?? -1;
  if (max < 0 || !Number.isFinite(max)) return stream;
  let sent = 0;
  async function* limited(): AsyncGenerator<Buffer> {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      sent += buffer.length;
      if (sent > max) {
        throw new AxiosError(
          'Request body larger than maxBodyLength limit',
          'ERR_FR_MAX_BODY_LENGTH_EXCEEDED',
          config,
        );
      }
      yield buffer;
    }
  }
  return Readable.from(limited(), { objectMode: false });
}

/** The body for axios' transforms; past `maxContentLength`, dropped mid-way with axios' error. */
export async function responseData(
  body: Readable & { text?(): Promise<string>; arrayBuffer?(): Promise<ArrayBuffer> },
  config: InternalAxiosRequestConfig,
  request: object,
): Promise<unknown> {
  const type = config.responseType;
  if (type === 'stream') return body;
  const max = config.maxContentLength;
  const encoding = config.responseEncoding;
  const textual = type !== 'arraybuffer';
  if ((max === undefined || max < 0) && body.text && body.arrayBuffer) {
    // undici's own consumers: no per-chunk JavaScript for the common small JSON answer.
    if (textual && (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8')) {
      return body.text();
    }
    const buffer = Buffer.from(await body.arrayBuffer());
    return textual ? decode(buffer, encoding) : buffer;
  }
  const limit = max === undefined || max < 0 ? Infinity : max;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > limit) {
      body.destroy();
      throw new AxiosError(
        `maxContentLength size of ${max} exceeded`,
        AxiosError.ERR_BAD_RESPONSE,
        config,
        request,
      );
    }
    chunks.push(buffer);
  }
  const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  return textual ? decode(buffer, encoding) : buffer;
}

function decode(buffer: Buffer, encoding: string | undefined): string {
  const text = buffer.toString((encoding ?? 'utf8') as BufferEncoding);
  const utf8 = encoding === undefined || encoding === 'utf8' || encoding === 'utf-8';
  return utf8 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  compress: createInflate,
  'x-compress': createInflate,
  br: createBrotliDecompress,
};

/**
 * The body decoded as axios' Node adapter decodes it (error answers included); `undefined`:
 * nothing to decode. Not undici's `interceptors.decompress`: experimental (a process warning),
 * absent from early undici 7, skips error answers, and has no per-request `decompress: false`.
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
  // Either end failing or closed early (a refused stream answer nobody reads) closes both.
  return pipeline(body, decoder(), () => undefined) as unknown as Readable;
}
