import { Test } from '@nestjs/testing';
import {
  ForgeClient,
  ForgeClientOptions,
  getForgeClientToken,
  InMemoryTokenStorage,
  RequestForgeModule,
  TokenData,
  TokenManager,
} from '../../lib';
import { configurationError } from '../support/bootstrap-error';
import { LogCapture } from '../support/log-capture';

/** Options the module hands to the TokenManager it builds for a token client. */
const MANAGER_OPTIONS: Array<[string, unknown]> = [
  ['refreshSkew', 30_000],
  ['failureBackoff', { initial: 1_000 }],
  ['lock', { type: 'redis', url: 'redis://127.0.0.1:6379' }],
  ['storage', 'memory'],
];

describe('token options next to a TokenManager given as auth', () => {
  it.each(MANAGER_OPTIONS)(
    'refuses %s next to a TokenManager given as auth: it is set where that manager is built',
    async (field, value) => {
      const manager = new TokenManager(
        { serviceName: 'own', fetchToken: async () => new TokenData({ accessToken: 'own' }) },
        new InMemoryTokenStorage(),
      );
      const error = await configurationError({
        svc: { baseUrl: 'https://api.example.test', auth: manager, [field]: value },
      });
      expect(error.message).toBe(
        `Client "svc": ${field} does not apply to a TokenManager given as auth: pass it to that TokenManager`,
      );
    },
  );
});

describe('an auth left empty', () => {
  it('fails at bootstrap instead of making a client without credentials', async () => {
    const error = await configurationError({
      svc: { baseUrl: 'https://api.example.test', auth: null },
    });
    expect(error.message).toBe('Client "svc": auth must be an object, got null');
  });
});

describe('token options on a client without token auth', () => {
  afterEach(() => LogCapture.uninstall());

  it.each([
    ['a bearer client', { type: 'bearer', token: 'static-token' }],
    ['a client without auth', undefined],
  ])(
    'boots %s with them (shared defaults) and warns once that they are ignored',
    async (_what, auth) => {
      const logs = LogCapture.install();
      const moduleRef = await Test.createTestingModule({
        imports: [
          RequestForgeModule.forRoot({
            clients: {
              svc: {
                baseUrl: 'https://api.example.test',
                ...(auth ? { auth: auth as ForgeClientOptions['auth'] } : {}),
                refreshSkew: 30_000,
                lock: { type: 'redis', url: 'redis://127.0.0.1:6379' },
                storage: 'cache', // no CacheModule: for a token client, an error
              },
            },
          }),
        ],
      })
        .setLogger(logs)
        .compile();
      try {
        expect(moduleRef.get(getForgeClientToken('svc'))).toBeInstanceOf(ForgeClient);
        expect(logs.lines.filter((line) => line.level === 'warn').map((l) => l.message)).toEqual([
          'Client "svc": refreshSkew, lock, storage ignored ' +
            '(token auth only: client-credentials, password, pipeline)',
        ]);
      } finally {
        await moduleRef.close();
      }
    },
  );
});
