import { BodyTokenFetcherOptions } from './token-fetcher.options';

/** A step in plain config: a `BodyTokenFetcher`'s options, or with `kind: 'header'` a header one. */
export interface PipelineStepConfig extends BodyTokenFetcherOptions {
  /** Default `'body'`, or `'header'` when `tokenHeader` is set. */
  kind?: 'body' | 'header';
  /** Header fetchers: the response header holding the token. Default `'Authorization'`. */
  tokenHeader?: string;
}

/** `auth: { type: 'pipeline', ... }` in a client's module options: plain, serializable data. */
export interface PipelineAuthOptions {
  type: 'pipeline';
  steps: readonly PipelineStepConfig[];
  /** See `PipelineTokenProviderOptions.refreshFromStep`. */
  refreshFromStep?: string;
  /** Start of the storage keys of the steps. Default `'token_pipeline'`. */
  cacheKeyPrefix?: string;
}
