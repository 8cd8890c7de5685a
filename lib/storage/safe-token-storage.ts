import { Logger } from '@nestjs/common';
import { TokenData } from '../tokens/token-data';
import { OutageLog } from './outage-log';
import { TokenStorage } from './token-storage.interface';

export type StoredToken = { ok: true; token?: TokenData } | { ok: false };

/** One outage log per storage, so that every manager over it reports an outage once. */
const outageLogs = new WeakMap<TokenStorage, OutageLog>();

function outageLogOf(storage: TokenStorage): OutageLog {
  const log =
    outageLogs.get(storage) ??
    new OutageLog(
      new Logger('TokenStorage'),
      'Token storage',
      'serving the tokens this process holds and fetching new ones without it until it is back',
    );
  outageLogs.set(storage, log);
  return log;
}

/**
 * One storage key of a TokenManager, outages turned into misses (the one place: storages reject,
 * pipeline steps are TokenManagers too): a storage that throws never fails a caller who could
 * otherwise get a token. Logged once per outage and storage, without the error's message.
 */
export class SafeTokenStorage {
  private readonly outage: OutageLog;

  constructor(
    private readonly storage: TokenStorage,
    private readonly key: string,
  ) {
    this.outage = outageLogOf(storage);
  }

  async get(): Promise<StoredToken> {
    const read = await this.guarded(() => this.storage.get(this.key));
    return read ? { ok: true, token: read.value ?? undefined } : { ok: false };
  }

  async set(token: TokenData, ttlMs?: number): Promise<void> {
    await this.guarded(() => this.storage.set(this.key, token, ttlMs));
  }

  async delete(): Promise<void> {
    await this.guarded(() => this.storage.delete(this.key));
  }

  /** The call's result, or undefined when it failed (logged once per outage). */
  private async guarded<T>(call: () => Promise<T>): Promise<{ value: T } | undefined> {
    try {
      const value = await call();
      this.outage.succeeded();
      return { value };
    } catch (error) {
      this.outage.failed(error);
      return undefined;
    }
  }
}
