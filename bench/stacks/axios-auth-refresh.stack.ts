import axios from 'axios';
import createAuthRefresh from 'axios-auth-refresh';
import axiosRetry from 'axios-retry';
import { BENCH_CLIENT, keepAliveAgent, Stack } from './stack';

export interface AxiosAuthRefreshStack extends Stack {
  /** Fetches a token now (a warm cache), as an app would at start-up. */
  warmUp(): Promise<void>;
}

interface FailedRequest {
  response: { config: { headers: Record<string, string> } };
}

/**
 * (3) The usual hand-made stack: axios, a request interceptor adding the current token,
 * axios-auth-refresh fetching a new one on a 401, and axios-retry (3 retries, exponential delay).
 *
 * `deduplicateRefresh` is `false` unless asked: with the library's default (`true`), a 401 that
 * arrives while a refresh runs is rejected instead of retried (Flyrell/axios-auth-refresh#307),
 * so concurrent calls fail. With `false` they wait for the refresh in progress.
 */
export function createAxiosAuthRefreshStack(
  origin: string,
  tokenUrl: string,
  { deduplicateRefresh = false } = {},
): AxiosAuthRefreshStack {
  const agent = keepAliveAgent();
  const api = axios.create({ baseURL: origin, httpAgent: agent });
  let accessToken: string | undefined;

  const fetchToken = async (): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: BENCH_CLIENT.clientId,
      client_secret: BENCH_CLIENT.clientSecret,
    });
    // The global axios, not `api`: the token request is never intercepted.
    const response = await axios.post<{ access_token: string }>(tokenUrl, form);
    accessToken = response.data.access_token;
    return accessToken;
  };

  api.interceptors.request.use((config) => {
    if (accessToken) config.headers.set('Authorization', `Bearer ${accessToken}`);
    return config;
  });
  createAuthRefresh(
    api,
    async (failed: FailedRequest) => {
      failed.response.config.headers['Authorization'] = `Bearer ${await fetchToken()}`;
    },
    { deduplicateRefresh },
  );
  axiosRetry(api, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

  return {
    label: deduplicateRefresh
      ? 'axios-auth-refresh, its defaults'
      : 'axios + axios-auth-refresh + axios-retry',
    warmUp: async () => {
      await fetchToken();
    },
    get: async (path) => (await api.get(path)).data,
    close: async () => agent.destroy(),
  };
}
