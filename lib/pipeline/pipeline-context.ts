import { ConfigurationException } from '../errors';
import { TokenData } from '../tokens/token-data';

/** What a step sees while it builds its request: the tokens of the steps it depends on. */
export class PipelineContext {
  constructor(
    /** The step being fetched. */
    readonly step: string,
    /** The service the pipeline fetches for, as errors and logs name it. */
    readonly serviceName: string,
    private readonly tokens: ReadonlyMap<string, TokenData>,
  ) {}

  /** The token of a step listed in `dependsOn`. */
  get(step: string): TokenData {
    const token = this.tokens.get(step);
    if (!token) {
      throw new ConfigurationException(
        `Pipeline step '${this.step}' reads the token of '${step}', which is not in its dependsOn`,
        { field: 'dependsOn' },
      );
    }
    return token;
  }

  has(step: string): boolean {
    return this.tokens.has(step);
  }

  /** Names of the steps whose tokens are available. */
  get steps(): string[] {
    return [...this.tokens.keys()];
  }
}
