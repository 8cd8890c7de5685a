import { ServerResponse } from 'node:http';
import { RecordedRequest, RecordingServer } from '../support/recording-server';
import type { TestPki } from '../support/test-pki';

/** One scripted answer of the token endpoint. */
export type Answer = (request: RecordedRequest, res: ServerResponse) => void;

export const respond =
  (status: number, body: unknown, contentType = 'application/json'): Answer =>
  (_request, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** A 500 whose `error_description` echoes the request body. */
export const echoIn500: Answer = (request, res) =>
  respond(500, { error: 'server_error', error_description: `db down for ${request.body}` })(
    request,
    res,
  );

/** A 502 HTML page showing the request body. */
export const echoInHtml502: Answer = (request, res) =>
  respond(502, `<html><pre>${request.body}</pre></html>`, 'text/html')(request, res);

export interface EchoingTokenEndpoint {
  server: RecordingServer;
  /** Answers for the next token requests, in order; once empty, tokens are issued. */
  queue: Answer[];
}

/**
 * A token endpoint (`/token`) that misbehaves in ways a real server will not on demand: answers
 * scripted by the test echo the request, secrets included, in `error_description`, under other
 * keys, in 5xx and HTML bodies, or never come. Any other path is an API: `/api/500` echoes the
 * Authorization header it got in a 500, the rest answer 200. With `tls`, HTTPS asking for a client
 * certificate of the test PKI.
 */
export async function startEchoingTokenEndpoint(
  tokenPrefix: string,
  tls?: TestPki,
): Promise<EchoingTokenEndpoint> {
  const queue: Answer[] = [];
  let issued = 0;
  const server = await RecordingServer.start(
    (_req, res, recorded) => {
      if (recorded.path === '/api/500') {
        return respond(500, { seen: recorded.headers.authorization ?? null })(recorded, res);
      }
      if (recorded.path !== '/token') return respond(200, { ok: true })(recorded, res);
      const answer = queue.shift();
      if (answer) return answer(recorded, res);
      issued += 1;
      const token = { access_token: `${tokenPrefix}-${issued}-abcdef`, token_type: 'Bearer' };
      respond(200, { ...token, expires_in: 3600 })(recorded, res);
    },
    tls && { ...tls.server, ca: tls.ca },
  );
  return { server, queue };
}
