import { LoggerService } from '@nestjs/common';
import { TokenStorage } from '../storage/token-storage.interface';
import { TokenData } from './token-data';

export type StoredToken = { ok: true; token?: TokenData } | { ok: false };

/**
 * One storage key of a TokenManager, with outages turned into misses: a storage that throws
 * never fails a caller who could otherwise get a token. Each outage is logged once, without
 * the error's message (a store's error could quote the value it was given).
 */
export class SafeTokenStorage {
  private failing = false;

  constructor(
    private readonly storage: TokenStorage,
    private readonly key: string,
    private readonly serviceName: string,
    private readonly logger: LoggerService,
  ) {}

  async get(): Promise<StoredToken> {
    try {
      const token = await this.storage.get(this.key);
      this.recovered();
      return { ok: true, token: token ?? undefined };
    } catch (error) {
      this.failed('read', error);
      return { ok: false };
    }
  }

  async set(token: TokenData, ttlMs?: number): Promise<void> {
    try {
      await this.storage.set(this.key, token, ttlMs);
      this.recovered();
    } catch (error) {
      this.failed('write', error);
    }
  }

  async delete(): Promise<void> {
    try {
      await this.storage.delete(this.key);
      this.recovered();
    } catch (error) {
      this.failed('delete', error);
    }
  }

  private failed(operation: string, error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const name = error instanceof Error ? error.name : 'Error';
    const code = (error as { code?: unknown } | null)?.code;
    this.logger.warn(
      `Token storage ${operation} failed for "${this.serviceName}" (${name}${
        typeof code === 'string' ? ` ${code}` : ''
      }); continuing without the shared cache until it recovers`,
    );
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log(`Token storage for "${this.serviceName}" recovered`);
  }
}
