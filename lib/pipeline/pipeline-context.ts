import { OptionChecker } from '../errors/option-checker';
import { TokenData } from '../tokens/token-data';

/** What a step sees while it builds its request: the tokens of the steps it depends on. */
export class PipelineContext {
  constructor(
    /** The step being fetched. */
    readonly step: string,
    readonly serviceName: string,
    private readonly tokens: ReadonlyMap<string, TokenData>,
  ) {}

  /** The token of a step listed in `dependsOn`. */
  get(step: string): TokenData {
    const token = this.tokens.get(step);
    if (!token) {
      return new OptionChecker(`Pipeline step '${this.step}'`).fail(
        'dependsOn',
        `does not list '${step}', whose token the step reads`,
      );
    }
    return token;
  }

  get steps(): string[] {
    return [...this.tokens.keys()];
  }
}
