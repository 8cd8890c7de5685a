import { Agent } from 'node:http';

/** One HTTP client setup under test. */
export interface Stack {
  readonly label: string;
  /** One GET of `path` on the API; resolves once the JSON body is parsed, rejects on failure. */
  get(path: string): Promise<unknown>;
  close(): Promise<void>;
  /** Sets the process-wide state this stack runs with (the OTel providers) before each round. */
  activate?(): void;
}

/** Sockets per stack: the overhead runs keep this many requests in flight. */
export const SOCKETS_PER_STACK = 50;

/** Every axios-based stack gets its own agent with these settings, so all reuse connections alike. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: SOCKETS_PER_STACK });
}

/** What the overhead runs send where a stack has a fixed credential. */
export const STATIC_AUTHORIZATION = 'Bearer bench-static-token';

/** The client credentials every token-using stack presents. */
export const BENCH_CLIENT = { clientId: 'bench-client', clientSecret: 'bench-client-secret' };
