import { RecordedRequest, RecordingServer } from '../support/recording-server';

/**
 * An API that echoes back what it received under keys no redactor knows (`seen`, `detail`,
 * `url`, `presented`: the bare token), the way careless error pages do. Paths: `/ok`, `/401`, `/403`, `/500`, `/slow`
 * (answers after 1.5 s), `/echo` (400 with the parsed body and query).
 */
export async function startEchoApi(): Promise<RecordingServer> {
  return RecordingServer.start((req, res, recorded) => {
    const echo = {
      seen: req.headers.authorization ?? null,
      key: req.headers['x-api-key'] ?? null,
      detail: `credential ${req.headers.authorization ?? req.headers['x-api-key'] ?? 'none'} was checked`,
      url: recorded.url,
      presented: /^\S+ (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? null,
    };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (recorded.path) {
      case '/ok':
        return send(200, { ok: true, ...echo });
      case '/401':
        return send(
          401,
          { error: 'invalid_token', ...echo },
          {
            'www-authenticate': 'Bearer error="invalid_token"',
            'x-echo-auth': String(req.headers.authorization ?? ''),
          },
        );
      case '/403':
        return send(403, { error: 'forbidden', ...echo });
      case '/500':
        return send(500, { error: 'boom', ...echo });
      case '/slow':
        setTimeout(() => send(200, echo), 1_500).unref();
        return;
      case '/echo':
        return send(400, { received: parsedBody(recorded), ...echo });
      default:
        return send(404, echo);
    }
  });
}

function parsedBody(recorded: RecordedRequest): unknown {
  const type = String(recorded.headers['content-type'] ?? '');
  if (type.includes('json')) return JSON.parse(recorded.body || 'null') as unknown;
  return Object.fromEntries(new URLSearchParams(recorded.body));
}

/** The bearer token in an `Authorization` header the API received, if any. */
export function bearerOf(request: RecordedRequest): string | undefined {
  return /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
}
