import { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What became of one body a fault reply started to send. */
export interface BodyOutcome {
  bytesWritten: number;
  /** The client closed the connection before the server finished writing. */
  cutOff: boolean;
}

/**
 * Replies (for `ScriptedServer.reply`) that answer with headers at once and then misbehave on
 * the body: one that trickles forever, one far larger than any token response. Each records what
 * became of its body; `dispose()` stops whatever is still writing.
 */
export class BodyFaults {
  readonly outcomes: BodyOutcome[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  /** 200 with JSON headers, then one byte every `intervalMs`, never finishing. */
  trickle(intervalMs = 100): Handler {
    return (_req, res) => {
      const outcome = this.track(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => {
        res.write(' ');
        outcome.bytesWritten += 1;
      }, intervalMs);
      this.timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        this.timers.delete(timer);
      });
    };
  }

  /**
   * A valid token response padded to `totalBytes` with an unknown field, streamed as fast as the
   * client reads it (backpressure respected, so a client that stops reading costs nothing).
   */
  hugeToken(totalBytes: number, accessToken = 'padded-token'): Handler {
    return (_req, res) => {
      const outcome = this.track(res);
      const head = `{"access_token":"${accessToken}","token_type":"Bearer","expires_in":3600,"padding":"`;
      const tail = '"}';
      const chunk = 'x'.repeat(64 * 1024);
      const padding = totalBytes - head.length - tail.length;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(totalBytes),
      });
      res.write(head);
      outcome.bytesWritten = head.length;
      let padded = 0;
      const pump = (): void => {
        while (padded < padding) {
          const part = chunk.slice(0, Math.min(chunk.length, padding - padded));
          padded += part.length;
          outcome.bytesWritten += part.length;
          if (!res.write(part)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end(tail);
        outcome.bytesWritten += tail.length;
      };
      pump();
    };
  }

  dispose(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
  }

  private track(res: ServerResponse): BodyOutcome {
    const outcome: BodyOutcome = { bytesWritten: 0, cutOff: false };
    this.outcomes.push(outcome);
    res.on('close', () => {
      outcome.cutOff = !res.writableFinished;
    });
    return outcome;
  }
}

/** Resolves once `condition` holds (the server side of a socket may learn of a close later). */
export async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
