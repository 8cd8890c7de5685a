import { randomBytes } from 'node:crypto';
import { EmbeddedOidcServer } from './oidc-server';
import { PipelineTokenEndpoints } from './pipeline-token-endpoints';
import { SampleApi } from './sample-api';

/** The running embedded servers, and the environment that points the sample at them. */
export interface EmbeddedServices {
  /** `SERVICE_*` variables (URLs, demo credentials) and `SAMPLE_CONTROL_URL`. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface EmbeddedServicesOptions {
  /**
   * Lifetime of service-a's tokens. Default 4: the demo shows a refresh within seconds. Several
   * processes sharing one token want longer ones.
   */
  tokenTtlSeconds?: number;
}

/**
 * Starts, on 127.0.0.1, everything the sample needs when no external URL is configured: a real
 * OAuth2 server (oidc-provider) for service-a, the pipeline token endpoints for service-c and a
 * protected API for all three. Credentials are fresh random values per start.
 */
export async function startEmbeddedServices(
  options: EmbeddedServicesOptions = {},
): Promise<EmbeddedServices> {
  const secret = (): string => randomBytes(16).toString('hex');
  const serviceA = { clientId: 'sample-service-a', clientSecret: secret() };
  const apiKey = secret();
  const pipelineCredentials = {
    appClientId: 'sample-service-c-app',
    appClientSecret: secret(),
    username: 'sample-user',
    password: secret(),
  };

  const oidc = await EmbeddedOidcServer.start({
    ...serviceA,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 4,
  });
  const api = await SampleApi.start({
    oidc,
    apiKey,
    pipeline: new PipelineTokenEndpoints(pipelineCredentials),
  }).catch(async (error: unknown) => {
    await oidc.close();
    throw error;
  });

  const env = {
    SERVICE_A_URL: `${api.url}/a`,
    SERVICE_A_TOKEN_URL: oidc.tokenUrl,
    SERVICE_A_CLIENT_ID: serviceA.clientId,
    SERVICE_A_CLIENT_SECRET: serviceA.clientSecret,
    // Renew 2 s before the 4 s tokens expire: the refresh shows up in a short run.
    SERVICE_A_REFRESH_SKEW_MS: '2000',
    SERVICE_B_URL: `${api.url}/b`,
    SERVICE_B_API_KEY: apiKey,
    SERVICE_C_URL: `${api.url}/c`,
    SERVICE_C_AUTH_URL: `${api.url}/auth`,
    SERVICE_C_APP_CLIENT_ID: pipelineCredentials.appClientId,
    SERVICE_C_APP_CLIENT_SECRET: pipelineCredentials.appClientSecret,
    SERVICE_C_USERNAME: pipelineCredentials.username,
    SERVICE_C_PASSWORD: pipelineCredentials.password,
    SAMPLE_CONTROL_URL: `${api.url}/__sample`,
  };
  return {
    env,
    close: async () => {
      await api.close();
      await oidc.close();
    },
  };
}
