import { lastValueFrom } from 'rxjs';
import { AxiosResponse } from 'axios';
import { HttpStatusException } from '../../lib';
import { json, RecordingServer } from '../support/recording-server';
import { closeClients, onTransport, TRANSPORTS } from '../support/transports';

describe.each(TRANSPORTS)('requestMany (%s transport)', (transport) => {
  const { builder, forge } = onTransport(transport);
  afterEach(closeClients);
  let server: RecordingServer;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeEach(async () => {
    inFlight = 0;
    maxInFlight = 0;
    server = await RecordingServer.start((req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => (inFlight -= 1));
      // Varied latency, so completion order differs from request order.
      setTimeout(
        () => {
          if (n === 3 && req.url?.includes('fail')) json(res, 500, { n });
          else json(res, 200, { n });
        },
        ((n * 7) % 5) * 15 + 5,
      );
    });
  });
  afterEach(() => server.close());

  const client = () => forge(builder().withBaseUrl(server.url).withApiKey('many-key').build());

  it('returns results in request order and never exceeds the concurrency', async () => {
    const configs = Array.from({ length: 20 }, (_, n) => ({ url: `/item?n=${n}` }));
    const results = await lastValueFrom(client().requestMany(configs, { concurrency: 4 }));
    expect(results.map((r) => (r as AxiosResponse<{ n: number }>).data.n)).toEqual(
      Array.from({ length: 20 }, (_, n) => n),
    );
    expect(server.requests).toHaveLength(20);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('can be awaited directly as well as subscribed to; each await is a fresh batch', async () => {
    const batch = client().requestMany([{ url: '/item?n=1' }, { url: '/item?n=2' }]);
    expect(server.requests).toHaveLength(0); // cold until awaited
    const results = await batch;
    expect(results.map((r) => (r as AxiosResponse<{ n: number }>).data.n)).toEqual([1, 2]);
    await batch;
    expect(server.requests).toHaveLength(4);
  });

  it('keeps going after a failure and puts the error in its slot', async () => {
    const configs = Array.from({ length: 6 }, (_, n) => ({ url: `/item?n=${n}&fail=1` }));
    const results = await lastValueFrom(client().requestMany(configs, { concurrency: 2 }));
    expect(results[3]).toBeInstanceOf(HttpStatusException);
    expect(results.filter((r) => !(r instanceof Error))).toHaveLength(5);
  });

  it('keeps what a hook threw that is no Error as the cause of the Error in its slot', async () => {
    const thrown = { code: 'QUOTA', retryInMs: 500 };
    const hooked = forge(
      builder()
        .withBaseUrl(server.url)
        .withHooks({
          beforeRequest: [
            (config) => {
              if (config.url?.includes('n=1')) throw thrown;
              return config;
            },
          ],
        })
        .build(),
    );
    const results = await lastValueFrom(
      hooked.requestMany([{ url: '/item?n=0' }, { url: '/item?n=1' }]),
    );
    expect(results[1]).toMatchObject({ message: 'request failed', cause: thrown });
    expect(server.requests).toHaveLength(1);
  });

  it('failFast: the first failure aborts requests in flight and sends no more', async () => {
    server.handle((req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
      if (n === 0) setTimeout(() => json(res, 500, { n }), 50);
      // The others hang until aborted.
    });
    const configs = Array.from({ length: 20 }, (_, n) => ({ url: `/item?n=${n}` }));
    const error = await lastValueFrom(
      client().requestMany(configs, { concurrency: 3, failFast: true }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusException);
    await server.waitForAbort(2);
    expect(server.requests).toHaveLength(3);
    expect(server.aborted.map((r) => r.url).sort()).toEqual(['/item?n=1', '/item?n=2']);
  });
});
