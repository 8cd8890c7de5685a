import type { PipelineTokenProviderOptions } from './pipeline-token-provider';
import type { TokenFetchPipelineOptions } from './token-fetch-pipeline';
import { BodyTokenFetcherOptions, HeaderTokenFetcherOptions } from './token-fetcher.options';

/** A step in plain config: a `BodyTokenFetcher`'s options, or with `kind: 'header'` a header one. */
export interface PipelineStepConfig
  extends BodyTokenFetcherOptions, Pick<HeaderTokenFetcherOptions, 'tokenHeader'> {
  /** Default `'body'`, or `'header'` when `tokenHeader` is set. */
  kind?: 'body' | 'header';
}

/** `auth: { type: 'pipeline', ... }` in a client's module options: plain, serializable data. */
export interface PipelineAuthOptions
  extends
    Pick<PipelineTokenProviderOptions, 'refreshFromStep'>,
    Pick<TokenFetchPipelineOptions, 'cacheKeyPrefix'> {
  type: 'pipeline';
  steps: readonly PipelineStepConfig[];
}
