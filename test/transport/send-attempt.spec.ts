import { HttpService } from '@nestjs/axios';
import axios, { AxiosRequestConfig, CancelToken } from 'axios';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { sendAttempt } from '../../lib/transport/http-transport';
import { json, RecordingServer } from '../support/recording-server';

describe('sendAttempt: abort only while in flight', () => {
  let server: RecordingServer;
  let http: HttpService;
  let sentTokens: Array<CancelToken | undefined>;

  const send = (config: AxiosRequestConfig) => sendAttempt(http, config);

  beforeEach(async () => {
    server = await RecordingServer.start((_req, res) => json(res, 200, { ok: true }));
    http = new HttpService(axios.create());
    sentTokens = [];
    // Records the cancel token of each request its axios instance sends.
    http.axiosRef.interceptors.request.use((config) => {
      sentTokens.push(config.cancelToken);
      return config;
    });
  });
  afterEach(() => server.close());

  it('does not cancel a request whose response came (firstValueFrom and lastValueFrom)', async () => {
    await firstValueFrom(send({ url: `${server.url}/first` }));
    await lastValueFrom(send({ url: `${server.url}/last` }));
    expect(sentTokens).toHaveLength(2);
    for (const token of sentTokens) expect(token?.reason).toBeUndefined();
    expect(server.aborted).toEqual([]);
  });

  it('cancels a request still in flight when unsubscribed: the server sees the socket close', async () => {
    server.handle(() => {
      /* never answers */
    });
    const subscription = send({ url: `${server.url}/slow` }).subscribe({
      error: () => undefined,
    });
    await server.waitForRequests(1);
    subscription.unsubscribe();
    await server.waitForAbort(1);
    expect(sentTokens[0]?.reason).toBeDefined();
    expect(server.aborted.map((r) => r.path)).toEqual(['/slow']);
  });

  it('does not cancel a request that failed', async () => {
    server.handle((_req, res) => json(res, 503, { down: true }));
    await expect(firstValueFrom(send({ url: `${server.url}/down` }))).rejects.toMatchObject({
      response: { status: 503 },
    });
    expect(sentTokens[0]?.reason).toBeUndefined();
  });

  it("cancels through a caller's own cancelToken, which an answer leaves untouched", async () => {
    const own = axios.CancelToken.source();
    await firstValueFrom(send({ url: `${server.url}/own`, cancelToken: own.token }));
    expect(own.token.reason).toBeUndefined();
    server.handle(() => {
      /* never answers */
    });
    const pending = firstValueFrom(
      send({ url: `${server.url}/own-hangs`, cancelToken: own.token }),
    );
    await server.waitForRequests(2);
    own.cancel('caller gave up');
    const error = await pending.catch((e: unknown) => e);
    expect(axios.isCancel(error)).toBe(true);
    expect((error as Error).message).toBe('caller gave up');
    await server.waitForAbort(1);
    expect(server.aborted.map((r) => r.path)).toEqual(['/own-hangs']);
  });

  it('sends through HttpService.request when a spy replaced it on the prototype', async () => {
    const spy = jest.spyOn(HttpService.prototype, 'request');
    try {
      await firstValueFrom(send({ url: `${server.url}/spied` }));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0]).toMatchObject({ url: `${server.url}/spied` });
    } finally {
      spy.mockRestore();
    }
  });

  it('sends through a request method that replaces HttpService.request, answer and abort alike', async () => {
    const calls: string[] = [];
    class CountingHttpService extends HttpService {
      override request<T>(config: AxiosRequestConfig) {
        calls.push(config.url ?? '');
        return super.request<T>(config);
      }
    }
    http = new CountingHttpService(axios.create());
    await expect(firstValueFrom(send({ url: `${server.url}/counted` }))).resolves.toMatchObject({
      data: { ok: true },
    });
    server.handle(() => {
      /* never answers */
    });
    const subscription = send({ url: `${server.url}/hangs` }).subscribe({ error: () => undefined });
    await server.waitForRequests(2);
    subscription.unsubscribe();
    await server.waitForAbort(1);
    expect(calls).toEqual([`${server.url}/counted`, `${server.url}/hangs`]);
  });
});
