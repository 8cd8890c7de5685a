import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Test, TestingModule } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import {
  CacheManagerTokenStorage,
  ConfigurationException,
  EncryptedTokenStorage,
  getTokenStorageToken,
  InMemoryTokenStorage,
  RequestForgeModule,
  RequestForgeModuleOptions,
  TokenData,
  TokenStorage,
} from '../../lib';
import { EncryptedTokenStorageOptions } from '../../lib/storage/encrypted-token-storage';
import { renderings } from '../support/secrets';

const BYTES = randomBytes(32);
const ACCESS = 'at-options-spec-0123456789';

const EXPIRES_AT = new Date(Date.now() + 3_600_000);

function token(): TokenData {
  return new TokenData({
    accessToken: ACCESS,
    expiresAt: EXPIRES_AT,
    refreshToken: 'rt-options-spec-0123456789',
  });
}

/** The error the constructor throws, after checking none of its renderings quotes `key`. */
function constructorError(options: unknown, key?: string): ConfigurationException {
  try {
    new EncryptedTokenStorage(new InMemoryTokenStorage(), options as EncryptedTokenStorageOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationException);
    if (key) for (const text of renderings(error)) expect(text).not.toContain(key.trim());
    return error as ConfigurationException;
  }
  throw new Error('expected the constructor to throw');
}

describe('EncryptedTokenStorage keys', () => {
  it.each([
    ['a 32-byte Buffer', BYTES],
    ['a Uint8Array', new Uint8Array(BYTES)],
    ['base64', BYTES.toString('base64')],
    ['base64 without padding', BYTES.toString('base64').replace(/=+$/, '')],
    ['base64url', BYTES.toString('base64url')],
    ['hex', BYTES.toString('hex')],
    ['upper-case hex', BYTES.toString('hex').toUpperCase()],
    ['base64 with the trailing newline of an env file', `${BYTES.toString('base64')}\n`],
  ])('accepts %s, and every form of the same bytes reads the others’ values', async (_, key) => {
    const inner = new InMemoryTokenStorage();
    await new EncryptedTokenStorage(inner, { keys: { k1: BYTES }, activeKid: 'k1' }).set(
      'svc',
      token(),
    );
    const storage = new EncryptedTokenStorage(inner, { keys: { k1: key }, activeKid: 'k1' });

    expect((await storage.get('svc'))?.toJSON()).toEqual(token().toJSON());
  });

  it.each([
    ['31 bytes', randomBytes(31)],
    ['33 bytes', randomBytes(33)],
    ['31 bytes of base64', randomBytes(31).toString('base64')],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['63 hex digits', BYTES.toString('hex').slice(1)],
    ['a passphrase', 'correct horse battery staple, really long one'],
    ['an empty string', ''],
    ['a number', 42],
    ['null', null],
  ])('refuses %s, naming the field and never quoting the key', (_, key) => {
    const error = constructorError(
      { keys: { k1: key }, activeKid: 'k1' },
      typeof key === 'string' && key.length >= 4 ? key : undefined,
    );
    expect(error.message).toBe('EncryptedTokenStorage: keys.k1 must be 32 bytes (base64 or hex)');
    expect(error.field).toBe('keys.k1');
  });

  it.each([
    [undefined, ' must be { keys: { [kid]: key }, activeKid }'],
    [{ activeKid: 'k1' }, 'keys must be an object of key ids to keys, with at least one key'],
    [{ keys: {}, activeKid: 'k1' }, 'keys must be an object of key ids to keys'],
    [{ keys: { k1: BYTES } }, 'activeKid is required'],
    [{ keys: { k1: BYTES }, activeKid: 'k2' }, 'activeKid must be one of the key ids in keys (k1)'],
    [
      { keys: { 'k.1': BYTES }, activeKid: 'k.1' },
      'keys must use key ids of 1 to 64 letters, digits',
    ],
    [{ keys: { k1: BYTES }, activeKid: 'k1', kid: 'k1' }, 'kid is not a known option'],
  ])('refuses options %p: %s', (options, message) => {
    const owner = message.startsWith(' ') ? 'EncryptedTokenStorage' : 'EncryptedTokenStorage: ';
    expect(constructorError(options).message).toContain(`${owner}${message}`);
  });

  it('never shows a key when the storage is inspected or serialized', () => {
    const key = BYTES.toString('base64');
    const storage = new EncryptedTokenStorage(new InMemoryTokenStorage(), {
      keys: { k1: key },
      activeKid: 'k1',
    });
    const hex = BYTES.toString('hex');
    for (const text of [inspect(storage, { depth: null, showHidden: true }), String(storage)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hex);
    }
  });
});

describe('module option storage: { type, encryption }', () => {
  const modules: TestingModule[] = [];
  afterEach(async () => {
    await Promise.all(modules.splice(0).map((moduleRef) => moduleRef.close()));
  });

  const clientCredentials = {
    type: 'client-credentials',
    tokenUrl: 'http://127.0.0.1:9/token',
    clientId: 'svc',
    clientSecret: 'svc-client-secret-0123',
  } as const;

  async function storageOf(storage: unknown, withCache = false): Promise<TokenStorage> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ...(withCache ? [CacheModule.register({ isGlobal: true })] : []),
        RequestForgeModule.forRoot({
          clients: { svc: { baseUrl: 'http://127.0.0.1:9', auth: clientCredentials, storage } },
        } as RequestForgeModuleOptions),
      ],
    }).compile();
    modules.push(moduleRef);
    return moduleRef.get<TokenStorage>(getTokenStorageToken('svc'));
  }

  async function bootstrapError(storage: unknown): Promise<ConfigurationException> {
    const error = await storageOf(storage).then(
      () => {
        throw new Error('expected bootstrap to fail');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationException);
    return error as ConfigurationException;
  }

  const encryption = { keys: { k1: BYTES.toString('base64') }, activeKid: 'k1' };

  it('seals the tokens of { type: "cache", encryption } in the app’s CACHE_MANAGER', async () => {
    const storage = await storageOf({ type: 'cache', encryption }, true);
    expect(storage).toBeInstanceOf(EncryptedTokenStorage);
    await storage.set('key', token());
    expect((await storage.get('key'))?.accessToken).toBe(ACCESS);
    const cached = await modules[0].get<Cache>(CACHE_MANAGER).get('api_tokens:key');
    expect(JSON.stringify(cached)).toMatch(/"accessToken":"v1\.k1\./);
    expect(JSON.stringify(cached)).not.toContain(ACCESS);
  });

  it('accepts { type: "memory" } with or without encryption, and the plain strings as before', async () => {
    expect(await storageOf({ type: 'memory', encryption })).toBeInstanceOf(EncryptedTokenStorage);
    expect(await storageOf({ type: 'memory' })).toBeInstanceOf(InMemoryTokenStorage);
    expect(await storageOf('memory')).toBeInstanceOf(InMemoryTokenStorage);
    expect(await storageOf('cache', true)).toBeInstanceOf(CacheManagerTokenStorage);
    expect(await storageOf({ type: 'cache' }, true)).toBeInstanceOf(CacheManagerTokenStorage);
  });

  it('fails at bootstrap on a bad key, naming the client and the field, never the key', async () => {
    const key = randomBytes(16).toString('base64');
    const error = await bootstrapError({
      type: 'cache',
      encryption: { keys: { k1: key }, activeKid: 'k1' },
    });

    expect(error.message).toBe(
      'Client "svc": storage.encryption.keys.k1 must be 32 bytes (base64 or hex)',
    );
    expect(error).toMatchObject({ clientName: 'svc', field: 'storage.encryption.keys.k1' });
    for (const text of renderings(error)) expect(text).not.toContain(key);
  });

  it.each([
    [{ type: 'redis' }, "Client \"svc\": storage.type must be one of 'memory', 'cache'"],
    [{ encryption }, "Client \"svc\": storage.type must be one of 'memory', 'cache'"],
    [
      { type: 'cache', encrypt: encryption },
      'Client "svc": storage.encrypt is not a known option (did you mean "encryption"?)',
    ],
    [
      { type: 'cache', encryption: { keys: encryption.keys, activeKid: 'k9' } },
      'Client "svc": storage.encryption.activeKid must be one of the key ids in keys (k1)',
    ],
    [
      { type: 'cache', encryption: 'secret' },
      'Client "svc": storage.encryption must be { keys: { [kid]: key }, activeKid }',
    ],
    [
      'redis',
      "Client \"svc\": storage must be 'memory', 'cache', { type, encryption? } or a TokenStorage",
    ],
  ])('fails at bootstrap on storage %p', async (storage, message) => {
    expect((await bootstrapError(storage)).message).toBe(message);
  });
});
