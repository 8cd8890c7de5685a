import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ConfigurationException,
  ForgeClient,
  InjectForgeClient,
  RequestForgeModule,
  RequestForgeModuleOptions,
} from '../../lib';
import { bootstrapFailure } from '../support/bootstrap-error';

describe('misconfiguration fails at bootstrap, naming the client and the field', () => {
  it.each([
    ['missing baseUrl', { svc: { auth: { type: 'bearer', token: 't' } } }, 'baseUrl'],
    ['invalid baseUrl', { svc: { baseUrl: 'not a url' } }, 'baseUrl'],
    [
      'unknown auth type',
      { svc: { baseUrl: 'http://a.test', auth: { type: 'kerberos' } } },
      'auth.type',
    ],
    [
      'missing bearer token',
      { svc: { baseUrl: 'http://a.test', auth: { type: 'bearer' } } },
      'auth.token',
    ],
    [
      'missing API key',
      { svc: { baseUrl: 'http://a.test', auth: { type: 'api-key' } } },
      'auth.key',
    ],
    [
      'missing basic password',
      { svc: { baseUrl: 'http://a.test', auth: { type: 'basic', username: 'u' } } },
      'auth.password',
    ],
    ['bad timeout', { svc: { baseUrl: 'http://a.test', timeout: -5 } }, 'timeout'],
    [
      'a typo in an option name',
      { svc: { baseURL: 'http://a.test' } },
      'baseURL is not a known option (did you mean "baseUrl"?)',
    ],
    [
      'an unknown option',
      { svc: { baseUrl: 'http://a.test', excludedPath: ['/x'] } },
      'excludedPath is not a known option (did you mean "excludedPaths"?)',
    ],
  ])('%s', async (_name, clients, field) => {
    const error = await bootstrapFailure({ clients });
    expect(error).toBeInstanceOf(ConfigurationException);
    expect(error.message).toContain('Client "svc"');
    expect(error.message).toContain(field);
  });

  it('a missing "clients" object fails when the module is defined', () => {
    expect(() => RequestForgeModule.forRoot({} as RequestForgeModuleOptions)).toThrow(/clients/);
  });

  it('forRootAsync: a declared client missing from the factory result', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          RequestForgeModule.forRootAsync({
            clients: ['svc', 'other'],
            useFactory: () => ({ clients: { svc: { baseUrl: 'http://a.test' } } }),
          }),
        ],
      }).compile(),
    ).rejects.toThrow(/Client "other".*no options/);
  });

  it('forRootAsync: a client returned by the factory but not declared', async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          RequestForgeModule.forRootAsync({
            clients: ['svc'],
            useFactory: () => ({
              clients: { svc: { baseUrl: 'http://a.test' }, stray: { baseUrl: 'http://b.test' } },
            }),
          }),
        ],
      }).compile(),
    ).rejects.toThrow(/Client "stray".*not declared/);
  });

  it('@InjectForgeClient for an unconfigured client names it', async () => {
    @Injectable()
    class NeedsX {
      constructor(@InjectForgeClient('x') readonly x: ForgeClient) {}
    }
    await expect(
      Test.createTestingModule({
        imports: [RequestForgeModule.forRoot({ clients: { svc: { baseUrl: 'http://a.test' } } })],
        providers: [NeedsX],
      }).compile(),
    ).rejects.toThrow(/ForgeClient:x \(RequestForgeModule clients.x\)/);
  });
});
