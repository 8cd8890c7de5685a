import { OptionChecker } from '../errors/option-checker';
import { BodyTokenFetcherOptions } from './token-fetcher.options';
import { readString, StepToken, TokenFetcher } from './token-fetcher';
import { TokenAnswer } from '../tokens/token-response';

/** A step whose token is a field of the JSON response body (`tokenField`, a dot path). */
export class BodyTokenFetcher extends TokenFetcher {
  private readonly tokenField: string;

  constructor(options: BodyTokenFetcherOptions, check?: OptionChecker) {
    super(options, check);
    this.tokenField = options.tokenField ?? 'access_token';
  }

  protected override tokenLocation(): string {
    return `body:${this.tokenField}`;
  }

  protected override readToken(response: TokenAnswer): StepToken {
    const accessToken = readString(response.data, this.tokenField);
    if (accessToken !== undefined) return { accessToken };
    return { problem: `has no non-empty string at '${this.tokenField}'` };
  }
}
