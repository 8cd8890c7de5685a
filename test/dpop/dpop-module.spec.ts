import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Test, TestingModule } from '@nestjs/testing';
import { generateKeyPairSync } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import {
  ConfigurationException,
  ForgeClient,
  getForgeClientToken,
  getTokenManagerToken,
  RequestForgeModule,
  TokenManager,
} from '../../lib';
import { DpopOptions } from '../../lib/auth/dpop-key';
import { useDpopServers } from '../support/dpop-protected-api';
import { POST_CLIENT } from '../support/oidc-server';
import { describeRedis, redisUrl, uniqueKeyPrefix } from '../support/redis';
import { deleteKeysUnder } from '../support/redis-keys';
import { renderings } from '../support/secrets';
import { bootstrapFailure } from '../support/bootstrap-error';

const ecPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pemOf = (pair: ReturnType<typeof ecPair>) =>
  pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

async function bootstrapError(dpop: unknown): Promise<Error> {
  const options = {
    clients: {
      svc: {
        baseUrl: 'http://127.0.0.1:1',
        auth: {
          type: 'client-credentials',
          tokenUrl: 'http://127.0.0.1:1/token',
          clientId: 'svc-client',
          clientSecret: 'svc-s3cret-value',
          dpop,
        },
      },
    },
  };
  return bootstrapFailure(options);
}

describe('auth.dpop misconfiguration fails at bootstrap, naming the client and field, never the key', () => {
  const ec = ecPair();
  const ecPem = pemOf(ec);
  const ecJwk = ec.privateKey.export({ format: 'jwk' });
  const k256 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ed = generateKeyPairSync('ed25519');
  const pem = (k: typeof rsa) => k.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  /** Fragments of key material an error must never show. */
  const material = [
    ecPem.split('\n')[1],
    String(ecJwk.d),
    pem(rsa).split('\n')[2],
    pem(ed).split('\n')[1],
    pem(k256).split('\n')[1],
  ];

  it.each([
    [
      'a PEM that does not parse',
      { privateKey: ecPem.replace(/\n[^\n]+\n/, '\n') },
      'auth.dpop.privateKey is not a PEM or JWK private key',
    ],
    [
      'text that is no key',
      { privateKey: 'my-dpop-key' },
      'auth.dpop.privateKey is not a PEM or JWK private key',
    ],
    [
      'a public JWK (no private part)',
      { privateKey: ec.publicKey.export({ format: 'jwk' }) },
      'auth.dpop.privateKey is not a PEM or JWK private key',
    ],
    [
      'a public key PEM',
      { privateKey: ec.publicKey.export({ format: 'pem', type: 'spki' }).toString() },
      'auth.dpop.privateKey is not a PEM or JWK private key',
    ],
    [
      'a JWK as a JSON string (a JWK is an object)',
      { privateKey: `{"kty":"EC","d":"${String(ecJwk.d)}"` },
      'auth.dpop.privateKey is not a PEM or JWK private key',
    ],
    [
      'an EC key with RS256',
      { privateKey: ecPem, algorithm: 'RS256' },
      "auth.dpop.algorithm 'RS256' does not match the privateKey (an EC key on prime256v1: ES256)",
    ],
    [
      'an RSA key with ES256',
      { privateKey: pem(rsa), algorithm: 'ES256' },
      "auth.dpop.algorithm 'ES256' does not match the privateKey (an RSA key of 2048 bits: RS256 or PS256)",
    ],
    [
      'an Ed25519 JWK with PS256',
      { privateKey: ed.privateKey.export({ format: 'jwk' }), algorithm: 'PS256' },
      "auth.dpop.algorithm 'PS256' does not match the privateKey (a key of type ed25519: EdDSA)",
    ],
    [
      'an EC key on secp256k1',
      { privateKey: pem(k256) },
      'auth.dpop.privateKey is an EC key on secp256k1; use RSA, EC P-256, P-384, P-521 or Ed25519',
    ],
    [
      'a 1024-bit RSA key',
      { privateKey: pem(rsa1024) },
      'auth.dpop.privateKey is an RSA key of 1024 bits; RSA keys must have at least 2048 bits',
    ],
    [
      'an X25519 key (for key agreement, not signatures)',
      { privateKey: generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' }) },
      'auth.dpop.privateKey is a key of type x25519; use RSA, EC P-256, P-384, P-521 or Ed25519',
    ],
    [
      'an algorithm DPoP does not allow',
      { algorithm: 'HS256' },
      "auth.dpop.algorithm must be one of 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'",
    ],
    [
      'a typo in the block',
      { algoritm: 'ES256' },
      'auth.dpop.algoritm is not a known option (did you mean "algorithm"?)',
    ],
    ['not an object', 'ES256', 'auth.dpop must be an object, got string'],
  ])('%s', async (_name, dpop, message) => {
    const error = await bootstrapError(dpop);

    expect(error).toBeInstanceOf(ConfigurationException);
    expect(error.message).toContain(`Client "svc": ${message}`);
    for (const text of renderings(error)) {
      for (const fragment of material) expect(text).not.toContain(fragment);
    }
  });
});

describeRedis('DPoP tokens shared through Redis between app instances', () => {
  const servers = useDpopServers();
  const modules: TestingModule[] = [];
  const namespace = uniqueKeyPrefix('dpop-shared');

  afterAll(() => deleteKeysUnder(namespace));
  afterEach(async () => {
    await Promise.all(modules.splice(0).map((m) => m.close()));
  });

  /** One app instance (a process or pod) with `storage: 'cache'` on the shared Redis. */
  async function instance(keyPrefix: string, dpop: DpopOptions) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.register({
          isGlobal: true,
          stores: [createKeyv(redisUrl(), { namespace: `${namespace}${keyPrefix}` })],
        }),
        RequestForgeModule.forRoot({
          clients: {
            orders: {
              baseUrl: servers.api.baseUrl,
              storage: 'cache',
              auth: {
                type: 'client-credentials',
                tokenUrl: servers.oidc.tokenUrl,
                clientId: POST_CLIENT.clientId,
                clientSecret: POST_CLIENT.clientSecret,
                dpop,
              },
            },
          },
        }),
      ],
    }).compile();
    modules.push(moduleRef);
    return {
      client: moduleRef.get<ForgeClient>(getForgeClientToken('orders')),
      manager: moduleRef.get<TokenManager>(getTokenManagerToken('orders')),
    };
  }

  it('with the same provided key, a second instance uses the token the first stored', async () => {
    const privateKey = pemOf(ecPair());
    const first = await instance('same-key', { privateKey });
    const second = await instance('same-key', { privateKey });

    await lastValueFrom(first.client.get('/orders'));
    await lastValueFrom(second.client.get('/orders'));

    expect(second.manager.storageKey).toBe(first.manager.storageKey);
    expect((await servers.oidc.stats()).tokensIssued).toBe(1);
    const accepted = servers.api.requests.filter((r) => r.status === 200);
    expect(accepted).toHaveLength(2);
    expect(accepted[1].token).toBe(accepted[0].token);
  });

  it('with keys generated per instance, each stores and uses a token bound to its own key', async () => {
    const first = await instance('generated', { algorithm: 'ES256' });
    const second = await instance('generated', { algorithm: 'ES256' });

    await lastValueFrom(first.client.get('/orders'));
    await lastValueFrom(second.client.get('/orders'));

    // The key thumbprint is part of the storage key: never another instance's token.
    expect(second.manager.storageKey).not.toBe(first.manager.storageKey);
    expect((await servers.oidc.stats()).tokensIssued).toBe(2);
    const accepted = servers.api.requests.filter((r) => r.status === 200);
    expect(accepted).toHaveLength(2);
    expect(accepted[1].token).not.toBe(accepted[0].token);
  });
});
