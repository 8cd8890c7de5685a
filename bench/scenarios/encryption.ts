import { randomBytes } from 'node:crypto';
import { EncryptedTokenStorage, InMemoryTokenStorage, TokenData, TokenStorage } from '../../lib';
import { BenchSizes } from '../bench-options';
import { median } from '../load';

export interface EncryptionOverheadResult {
  /** Reads per round and per storage. */
  reads: number;
  rounds: number;
  /** Median µs per `get` of the plain in-memory storage. */
  plainReadUs: number;
  /** Median µs per `get` of EncryptedTokenStorage over the same in-memory storage. */
  encryptedReadUs: number;
  /** What encryption adds to a token read (decrypt, JSON, TokenData). */
  overheadReadUs: number;
  /** Median µs per `set` of EncryptedTokenStorage (encrypt), once per token fetch. */
  encryptedWriteUs: number;
}

/**
 * The cost of encryption at rest per token read, crypto only: both storages keep their values in
 * memory, so no network time hides it. A read happens per token fetch, per storage poll while a
 * peer holds the lock, and when a client starts; never per request (the manager holds its token).
 */
export async function measureEncryption(sizes: BenchSizes): Promise<EncryptionOverheadResult> {
  const plain = new InMemoryTokenStorage();
  const encrypted = new EncryptedTokenStorage(new InMemoryTokenStorage(), {
    keys: { k1: randomBytes(32) },
    activeKid: 'k1',
  });
  const token = typicalToken();
  await plain.set('svc', token);
  await encrypted.set('svc', token);
  const reads = sizes.encryptionReads;
  const rounds = sizes.overheadRounds;
  // Warm-up: JIT and the cipher implementation, before anything counts.
  await timeReads(plain, reads);
  await timeReads(encrypted, reads);
  const plainUs: number[] = [];
  const encryptedUs: number[] = [];
  const writeUs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternating order, so a noisy neighbour slows both alike.
    const first = round % 2 === 0;
    if (first) plainUs.push(await timeReads(plain, reads));
    encryptedUs.push(await timeReads(encrypted, reads));
    if (!first) plainUs.push(await timeReads(plain, reads));
    writeUs.push(await timeWrites(encrypted, token, reads));
  }
  const plainReadUs = median(plainUs);
  const encryptedReadUs = median(encryptedUs);
  return {
    reads,
    rounds,
    plainReadUs,
    encryptedReadUs,
    overheadReadUs: encryptedReadUs - plainReadUs,
    encryptedWriteUs: median(writeUs),
  };
}

/** Shaped like a real token response: a ~900-character JWT, a refresh token and scopes. */
function typicalToken(): TokenData {
  const jwt = ['header', 'payload', 'signature']
    .map((_, i) => randomBytes(i === 1 ? 500 : 200).toString('base64url'))
    .join('.');
  return new TokenData({
    accessToken: jwt,
    expiresAt: new Date(Date.now() + 3_600_000),
    refreshToken: randomBytes(48).toString('base64url'),
    scope: 'orders:read orders:write payments:read',
  });
}

async function timeReads(storage: TokenStorage, reads: number): Promise<number> {
  const begin = process.hrtime.bigint();
  for (let i = 0; i < reads; i++) {
    if (!(await storage.get('svc'))) throw new Error('the benchmark token was not read back');
  }
  return Number(process.hrtime.bigint() - begin) / 1e3 / reads;
}

async function timeWrites(
  storage: TokenStorage,
  token: TokenData,
  writes: number,
): Promise<number> {
  const begin = process.hrtime.bigint();
  for (let i = 0; i < writes; i++) await storage.set('svc', token);
  return Number(process.hrtime.bigint() - begin) / 1e3 / writes;
}
