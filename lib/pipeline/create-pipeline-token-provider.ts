import { OptionChecker } from '../errors/option-checker';
import { BodyTokenFetcher } from './body-token-fetcher';
import { NAME_FIELDS } from './fetcher-options.validation';
import { HeaderTokenFetcher } from './header-token-fetcher';
import { PipelineAuthOptions, PipelineStepConfig } from './pipeline-auth.options';
import { PipelineTokenProvider } from './pipeline-token-provider';
import { TokenFetchPipeline, TokenFetchPipelineOptions } from './token-fetch-pipeline';
import { TokenFetcher } from './token-fetcher';

const STEP_KEYS = [
  'kind',
  'name',
  'baseUrl',
  'endpoint',
  'method',
  'requestData',
  'requestHeaders',
  'contentType',
  ...NAME_FIELDS,
  'ttl',
  'dependsOn',
  'timeout',
  'maxTokenResponseBytes',
];
const AUTH_KEYS = ['type', 'steps', 'refreshFromStep', 'cacheKeyPrefix'];

/**
 * The provider of a client with `auth: { type: 'pipeline' }`, checked at bootstrap (messages name
 * the client, the step and the field), with the client's storage and lock from the module.
 */
export function createPipelineTokenProvider(
  clientName: string,
  options: PipelineAuthOptions,
  dependencies: Pick<TokenFetchPipelineOptions, 'storage' | 'lock'> = {},
): PipelineTokenProvider {
  const check = OptionChecker.forClient(clientName, 'auth.');
  check.record('', options);
  check.oneOf('type', options.type, ['pipeline']);
  check.knownKeys(options, AUTH_KEYS);
  if (!Array.isArray(options.steps) || options.steps.length === 0) {
    check.fail('steps', 'must be a non-empty array of steps');
  }
  check.optionalString('refreshFromStep', options.refreshFromStep);
  check.optionalString('cacheKeyPrefix', options.cacheKeyPrefix);
  const steps = options.steps.map((step, i) => createStep(step, check.at(`steps[${i}]`)));
  const { refreshFromStep, cacheKeyPrefix } = options;
  return check.relabel(() => {
    const pipeline = new TokenFetchPipeline({ steps, ...dependencies, cacheKeyPrefix });
    return new PipelineTokenProvider(pipeline, { serviceName: clientName, refreshFromStep });
  });
}

function createStep(step: PipelineStepConfig, check: OptionChecker): TokenFetcher {
  check.record('', step);
  check.knownKeys(step, STEP_KEYS);
  const kind = step.kind ?? (step.tokenHeader !== undefined ? 'header' : 'body');
  check.oneOf('kind', kind, ['body', 'header']);
  if (kind === 'header' && step.tokenField !== undefined) {
    check.fail('tokenField', "is for body steps; header steps read 'tokenHeader'");
  }
  if (kind === 'body' && step.tokenHeader !== undefined) {
    check.fail('tokenHeader', "is for header steps (kind: 'header')");
  }
  const { kind: _kind, tokenHeader, tokenField, ...common } = step;
  return kind === 'header'
    ? new HeaderTokenFetcher({ ...common, tokenHeader }, check)
    : new BodyTokenFetcher({ ...common, tokenField }, check);
}
