import { ConfigurationException } from '../errors';
import { BodyTokenFetcher } from './body-token-fetcher';
import { isRecord, validateFetcherOptions } from './fetcher-options.validation';
import { HeaderTokenFetcher } from './header-token-fetcher';
import {
  PipelineAuthOptions,
  PipelineProviderDependencies,
  PipelineStepConfig,
} from './pipeline-auth.options';
import { PipelineTokenProvider } from './pipeline-token-provider';
import { TokenFetchPipeline } from './token-fetch-pipeline';
import { TokenFetcher } from './token-fetcher';

const STEP_KEYS = new Set<string>([
  'kind',
  'name',
  'baseUrl',
  'endpoint',
  'method',
  'requestData',
  'requestHeaders',
  'contentType',
  'tokenField',
  'tokenHeader',
  'tokenTypeField',
  'expiresInField',
  'refreshTokenField',
  'ttl',
  'dependsOn',
  'timeout',
  'maxTokenResponseBytes',
]);
const AUTH_KEYS = new Set<string>(['type', 'steps', 'refreshFromStep', 'cacheKeyPrefix']);

/**
 * Builds the token provider of a client configured with `auth: { type: 'pipeline', ... }`.
 * Everything is checked here, at bootstrap; messages name the client, the step and the field.
 */
export function createPipelineTokenProvider(
  clientName: string,
  options: PipelineAuthOptions,
  dependencies: PipelineProviderDependencies = {},
): PipelineTokenProvider {
  const client = `RequestForge client '${clientName}'`;
  const fail = (field: string, problem: string): never => {
    throw new ConfigurationException(`${client}: ${field} ${problem}`, { clientName, field });
  };
  if (!isRecord(options) || options.type !== 'pipeline') fail('auth.type', "must be 'pipeline'");
  for (const key of Object.keys(options)) {
    if (!AUTH_KEYS.has(key)) fail(`auth.${key}`, 'is not a known option');
  }
  if (!Array.isArray(options.steps) || options.steps.length === 0) {
    fail('auth.steps', 'must be a non-empty array of steps');
  }
  if (options.refreshFromStep !== undefined && typeof options.refreshFromStep !== 'string') {
    fail('auth.refreshFromStep', 'must be a step name');
  }
  if (options.cacheKeyPrefix !== undefined && typeof options.cacheKeyPrefix !== 'string') {
    fail('auth.cacheKeyPrefix', 'must be a string');
  }

  const steps = options.steps.map((step, i) => createStep(step, i, clientName, fail));
  try {
    const pipeline = new TokenFetchPipeline({
      steps,
      storage: dependencies.storage,
      lock: dependencies.lock,
      cacheKeyPrefix: options.cacheKeyPrefix,
    });
    return new PipelineTokenProvider(pipeline, {
      serviceName: clientName,
      refreshFromStep: options.refreshFromStep,
    });
  } catch (error) {
    if (!(error instanceof ConfigurationException)) throw error;
    const field = `auth.${error.field ?? 'steps'}`;
    throw new ConfigurationException(`${client}: auth: ${error.message}`, { clientName, field });
  }
}

function createStep(
  step: PipelineStepConfig,
  i: number,
  clientName: string,
  fail: (field: string, problem: string) => never,
): TokenFetcher {
  const at = `auth.steps[${i}]`;
  if (!isRecord(step)) return fail(at, 'must be an object');
  const named = typeof step.name === 'string' && step.name ? ` ('${step.name}')` : '';
  const stepFail = (key: string, problem: string): never => {
    throw new ConfigurationException(
      `RequestForge client '${clientName}': ${at}${named}: ${key} ${problem}`,
      { clientName, field: `${at}.${key}` },
    );
  };
  for (const key of Object.keys(step)) {
    if (!STEP_KEYS.has(key)) stepFail(key, 'is not a known option');
  }
  const kind = step.kind ?? (step.tokenHeader !== undefined ? 'header' : 'body');
  if (kind !== 'body' && kind !== 'header') stepFail('kind', "must be 'body' or 'header'");
  if (kind === 'header' && step.tokenField !== undefined) {
    stepFail('tokenField', "is for body steps; header steps read 'tokenHeader'");
  }
  if (kind === 'body' && step.tokenHeader !== undefined) {
    stepFail('tokenHeader', "is for header steps (kind: 'header')");
  }
  validateFetcherOptions(step, {
    label: `RequestForge client '${clientName}': ${at}${named}`,
    fieldPrefix: `${at}.`,
    clientName,
  });
  const { kind: _kind, tokenHeader, tokenField, ...common } = step;
  return kind === 'header'
    ? new HeaderTokenFetcher({ ...common, tokenHeader })
    : new BodyTokenFetcher({ ...common, tokenField });
}
