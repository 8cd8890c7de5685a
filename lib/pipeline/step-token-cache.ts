import { Logger } from '@nestjs/common';
import { TokenStorage } from '../storage/token-storage.interface';
import { TokenData } from '../tokens/token-data';

/**
 * The steps' tokens in a `TokenStorage`, one key per step. A storage outage must not fail a fetch
 * that can still succeed: a failed read is a miss, a failed write or delete is logged.
 */
export class StepTokenCache {
  private readonly logger = new Logger('TokenFetchPipeline');

  constructor(
    private readonly storage: TokenStorage,
    private readonly keys: ReadonlyMap<string, string>,
  ) {}

  keyOf(step: string): string {
    return this.keys.get(step) as string;
  }

  async read(step: string): Promise<TokenData | undefined> {
    try {
      const token = await this.storage.get(this.keyOf(step));
      return token && !token.isExpired() ? token : undefined;
    } catch {
      return undefined;
    }
  }

  /** Kept until the token expires: the shorter of the step's ttl and expires_in. */
  async write(step: string, token: TokenData): Promise<void> {
    try {
      await this.storage.set(this.keyOf(step), token, token.expiresInMs());
    } catch {
      this.logger.warn(`Pipeline step '${step}': its token could not be stored; it is not cached`);
    }
  }

  async remove(step: string): Promise<void> {
    try {
      await this.storage.delete(this.keyOf(step));
    } catch {
      this.logger.warn(`Pipeline step '${step}': its token could not be removed from the storage`);
    }
  }
}
