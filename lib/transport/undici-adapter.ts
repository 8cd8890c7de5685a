import axios, {
  AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  AxiosInstance,
  AxiosResponse,
  InternalAxiosRequestConfig,
} from 'axios';
import type * as Undici from 'undici';
import { ConfigurationException } from '../errors';
import { decodedBody, requestBody, responseData } from './undici-body';
import { DEFAULT_MAX_REDIRECTS, Hop, isRedirect, nextHop } from './undici-redirect';
import { Abort, watchAbort } from './undici-abort';
import type { ClientCertificate } from './client-certificate';

type Agent = Pick<Undici.Dispatcher, 'request' | 'close'>;

const PROXY_ENV = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'];

/**
 * The `'undici'` transport: an axios adapter on an undici `Agent` of the client's own. axios'
 * transforms run around any adapter, so bodies and JSON behave as on axios' Node adapter.
 */
export class UndiciTransport {
  private agent?: Agent;
  private closed = false;

  constructor(private readonly tls?: ClientCertificate) {}

  /** The adapter of `instance` (its `getUri` builds URLs with axios' own params serializer). */
  adapterFor(instance: AxiosInstance): AxiosAdapter {
    return (config) => this.send(config, instance);
  }

  async close(): Promise<void> {
    this.closed = true;
    const agent = this.agent;
    this.agent = undefined;
    await agent?.close();
  }

  private async send(
    config: InternalAxiosRequestConfig,
    instance: AxiosInstance,
  ): Promise<AxiosResponse> {
    if (config.proxy) {
      throw new ConfigurationException(
        'transport "undici" does not take a per-request proxy; set HTTP_PROXY / HTTPS_PROXY / ' +
          'NO_PROXY, or use transport "axios"',
        { field: 'proxy' },
      );
    }
    const agent = this.agent ?? (await this.open());
    const headers = config.headers;
    const url = new URL(fullUrl(config, instance));
    setAuthorization(config, url, headers);
    const decompress = config.decompress !== false;
    if (decompress) headers.set('Accept-Encoding', 'gzip, compress, deflate, br', false);
    headers.set('User-Agent', `axios/${axios.VERSION}`, false);
    const method = (config.method ?? 'get').toUpperCase();
    const request = { method, url: url.href, responseURL: url.href };
    const abort = watchAbort(config, request);
    try {
      const body = requestBody(config, headers);
      let hop: Hop = { url, method, headers: headers.toJSON() as Hop['headers'], body };
      const maxRedirects = config.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
      for (let redirects = 0; ; redirects++) {
        if (abort.reason !== undefined) throw abort.reason;
        const res = await agent.request({
          origin: hop.url.origin,
          path: `${hop.url.pathname}${hop.url.search}`,
          method: hop.method as 'GET',
          headers: hop.headers,
          body: hop.body as Undici.Dispatcher.RequestOptions['body'],
          signal: abort.signal,
        });
        if (maxRedirects > 0 && isRedirect(res.statusCode, res.headers)) {
          await res.body.dump();
          if (redirects >= maxRedirects) {
            throw new AxiosError(
              'Maximum number of redirects exceeded',
              AxiosError.ERR_FR_TOO_MANY_REDIRECTS,
              config,
              request,
            );
          }
          hop = nextHop(hop, res.statusCode, res.headers, config, request);
          request.method = hop.method;
          request.responseURL = hop.url.href;
          continue;
        }
        const raw =
          decompress && hop.method !== 'HEAD'
            ? decodedBody(res.body, res.headers, res.statusCode)
            : undefined;
        const data = await responseData(raw ?? res.body, config, request);
        return settle({
          data,
          status: res.statusCode,
          statusText: res.statusText ?? '',
          headers: new AxiosHeaders(res.headers as Record<string, string>),
          config,
          request,
        });
      }
    } catch (error) {
      throw toAxiosError(error, config, request, abort);
    } finally {
      abort.dispose();
    }
  }

  private async open(): Promise<Agent> {
    const undici = await loadUndici();
    if (this.agent) return this.agent;
    if (this.closed) {
      throw new ConfigurationException('the client is closed', { field: 'transport' });
    }
    // Like axios, HTTP(S)_PROXY / NO_PROXY from the environment are honoured.
    const proxied = PROXY_ENV.some((name) => process.env[name]);
    const connect = this.tls ? { connect: this.tls } : {};
    this.agent = proxied ? new undici.EnvHttpProxyAgent(connect) : new undici.Agent(connect);
    return this.agent;
  }
}

/** axios' URL: `baseURL` + `url` + `params` through its own serializer (its `getUri`). */
function fullUrl(config: InternalAxiosRequestConfig, instance: AxiosInstance): string {
  const url = config.url ?? '';
  if (config.params == null && !config.baseURL && !url.includes('#')) return url;
  return instance.getUri(config);
}

/** `auth` or the URL's userinfo becomes HTTP Basic, as in axios' Node adapter. */
function setAuthorization(config: InternalAxiosRequestConfig, url: URL, headers: AxiosHeaders) {
  let credentials: string | undefined;
  const userinfo = url.username !== '' || url.password !== '';
  if (config.auth) credentials = `${config.auth.username ?? ''}:${config.auth.password ?? ''}`;
  else if (userinfo) {
    credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  // Only when there is one: each URL setter rebuilds the whole href.
  if (userinfo) {
    url.username = '';
    url.password = '';
  }
  if (credentials !== undefined) {
    headers.set('Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  }
}

/** axios' `settle`: the same codes and message, so the failure classifier reads them alike. */
function settle(response: AxiosResponse): AxiosResponse {
  const validate = response.config.validateStatus;
  const { status } = response;
  if (!status || !validate || validate(status)) return response;
  throw new AxiosError(
    `Request failed with status code ${status}`,
    status >= 400 && status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE,
    response.config,
    response.request,
    response,
  );
}

/** Anything undici threw, as the AxiosError axios' Node adapter would have made of it. */
function toAxiosError(
  error: unknown,
  config: InternalAxiosRequestConfig,
  request: object,
  abort: Abort,
): unknown {
  if (abort.reason !== undefined) return abort.reason;
  // A CanceledError is an AxiosError too.
  if (error instanceof AxiosError || error instanceof ConfigurationException) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : 'request failed';
  const wrapped = new AxiosError(
    message,
    typeof code === 'string' ? code : undefined,
    config,
    request,
  );
  wrapped.cause = error instanceof Error ? error : undefined;
  return wrapped;
}

let loading: Promise<typeof Undici> | undefined;

/** undici is an optional peer: loaded on first use, so an app that never uses it needs none. */
export function loadUndici(): Promise<typeof Undici> {
  loading ??= import('undici').catch((cause: unknown) => {
    loading = undefined;
    throw new ConfigurationException(
      'transport "undici" needs the undici package (npm install undici@^7), which could not be ' +
        'loaded',
      { field: 'transport', cause },
    );
  });
  return loading;
}
