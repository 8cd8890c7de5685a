import {
  BodyTokenFetcher,
  PipelineContext,
  RequestData,
  TokenFetchPipeline,
  TokenLock,
  TokenStorage,
} from '../../lib';
import { BodyTokenFetcherOptions } from '../../lib/pipeline/token-fetcher.options';
import {
  APP_CLIENT_ID,
  APP_CLIENT_SECRET,
  TokenServers,
  USER_NAME,
  USER_PASSWORD,
} from '../support/pipeline-token-servers';

export interface StepLifetimes {
  appTtl?: number;
  userTtl?: number;
}

export function appStepOptions(servers: TokenServers, ttl?: number): BodyTokenFetcherOptions {
  return {
    name: 'app_token',
    baseUrl: servers.appUrl,
    endpoint: '/oauth/token',
    requestData: {
      grant_type: 'client_credentials',
      client_id: APP_CLIENT_ID,
      client_secret: APP_CLIENT_SECRET,
    },
    ...(ttl !== undefined ? { ttl } : {}),
  };
}

export function userStepOptions(servers: TokenServers, ttl?: number): BodyTokenFetcherOptions {
  return {
    name: 'user_token',
    baseUrl: servers.userUrl,
    endpoint: '/auth/user-token',
    contentType: 'json',
    requestData: { username: USER_NAME, password: USER_PASSWORD },
    tokenField: 'data.token',
    dependsOn: ['app_token'],
    ...(ttl !== undefined ? { ttl } : {}),
  };
}

/** The Python docs' user step, translated: the app token goes in through an override. */
export class UserTokenFetcher extends BodyTokenFetcher {
  override buildRequestHeaders(context: PipelineContext): Record<string, string> {
    return { Authorization: context.get('app_token').authorizationHeader };
  }
}

/** Sends its credentials through the other override point (no `requestData` in its options). */
export class UserTokenFetcherWithDataOverride extends UserTokenFetcher {
  override buildRequestData(): RequestData {
    return { username: USER_NAME, password: USER_PASSWORD };
  }
}

export function twoStepPipeline(
  servers: TokenServers,
  lifetimes: StepLifetimes = {},
  storage?: TokenStorage,
  lock?: TokenLock,
): TokenFetchPipeline {
  return new TokenFetchPipeline({
    steps: [
      new BodyTokenFetcher(appStepOptions(servers, lifetimes.appTtl)),
      new UserTokenFetcher(userStepOptions(servers, lifetimes.userTtl)),
    ],
    ...(storage ? { storage } : {}),
    ...(lock ? { lock } : {}),
  });
}
