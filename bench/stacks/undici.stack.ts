import { Pool } from 'undici';
import { SOCKETS_PER_STACK, Stack, STATIC_AUTHORIZATION } from './stack';

/** (4) The floor: undici's pool (keep-alive), no client logic at all. */
export function createUndiciStack(origin: string): Stack {
  const pool = new Pool(origin, { connections: SOCKETS_PER_STACK });
  const headers = { authorization: STATIC_AUTHORIZATION };
  return {
    label: 'undici Pool (floor)',
    get: async (path) => {
      const { statusCode, body } = await pool.request({ path, method: 'GET', headers });
      const data: unknown = await body.json();
      if (statusCode >= 400) throw new Error(`status ${statusCode}`);
      return data;
    },
    close: () => pool.close(),
  };
}
