import { Test } from '@nestjs/testing';
import {
  ConfigurationException,
  InMemoryTokenStorage,
  RequestForgeModule,
  RequestForgeModuleOptions,
  TokenData,
  TokenManager,
} from '../../lib';

async function bootstrapError(clients: Record<string, unknown>): Promise<ConfigurationException> {
  try {
    const ref = await Test.createTestingModule({
      imports: [RequestForgeModule.forRoot({ clients } as unknown as RequestForgeModuleOptions)],
    }).compile();
    await ref.close();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationException);
    return error as ConfigurationException;
  }
  throw new Error('expected bootstrap to fail');
}

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
      const error = await bootstrapError({
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
    const error = await bootstrapError({
      svc: { baseUrl: 'https://api.example.test', auth: null },
    });
    expect(error.message).toBe('Client "svc": auth must be an object, got null');
  });
});
