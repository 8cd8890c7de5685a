import { OptionChecker } from '../errors/option-checker';
import { HeaderTokenFetcherOptions } from './token-fetcher.options';
import { StepToken, TokenFetcher } from './token-fetcher';
import { TokenAnswer } from '../tokens/token-response';

const BEARER = /^bearer\s+/i;

/** A step whose token is a response header (`tokenHeader`); a `Bearer ` scheme is its type. */
export class HeaderTokenFetcher extends TokenFetcher {
  private readonly tokenHeader: string;

  constructor(options: HeaderTokenFetcherOptions, check?: OptionChecker) {
    super(options, check);
    this.tokenHeader = options.tokenHeader ?? 'Authorization';
  }

  protected override tokenLocation(): string {
    return `header:${this.tokenHeader.toLowerCase()}`;
  }

  protected override readToken(response: TokenAnswer): StepToken {
    const value = response.headers[this.tokenHeader.toLowerCase()]?.trim() ?? '';
    const accessToken = value.replace(BEARER, '').trim();
    if (accessToken === '') return { problem: `has no '${this.tokenHeader}' header` };
    return { accessToken, ...(BEARER.test(value) ? { tokenType: 'Bearer' } : {}) };
  }
}
