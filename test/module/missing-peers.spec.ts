import { configurationError } from '../support/bootstrap-error';

// The optional peers as an app that never installed them sees them (the fault cannot be made
// real without uninstalling them for the whole suite).
jest.mock('undici', () => {
  throw new Error("Cannot find module 'undici'");
});
jest.mock('@keyv/redis', () => {
  throw new Error("Cannot find module '@keyv/redis'");
});

describe('an optional peer the options need but the app did not install', () => {
  it('fails at bootstrap for transport "undici", naming the client, not on the first request', async () => {
    const error = await configurationError({
      svc: { baseUrl: 'https://api.example.test', transport: 'undici' },
    });
    expect(error.message).toBe(
      'Client "svc": transport needs the undici package, which could not be loaded ' +
        '(npm install undici@^7)',
    );
  });

  it('fails at bootstrap for a Redis lock, instead of running without one for ever', async () => {
    const error = await configurationError({
      svc: {
        baseUrl: 'https://api.example.test',
        auth: {
          type: 'client-credentials',
          tokenUrl: 'https://idp.example.test/token',
          clientId: 'svc',
          clientSecret: 'S3CRET',
        },
        storage: 'memory',
        lock: { type: 'redis', url: 'redis://127.0.0.1:6379' },
      },
    });
    expect(error.message).toBe(
      'Client "svc": lock needs the @keyv/redis package, which could not be loaded ' +
        '(npm install @keyv/redis@^5)',
    );
  });
});
