import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { lastValueFrom } from 'rxjs';
import {
  ForgeClient,
  ForgeClientRegistry,
  getForgeClientToken,
  InjectForgeClient,
  RequestForgeModule,
  RequestForgeModuleOptions,
  RequestForgeOptionsFactory,
} from '../../lib';
import { RecordingServer } from '../support/recording-server';

@Injectable()
class OrdersService {
  constructor(
    @InjectForgeClient('service-a') readonly a: ForgeClient,
    @InjectForgeClient('service-b') readonly b: ForgeClient,
  ) {}

  async callBoth(): Promise<void> {
    await lastValueFrom(this.a.get('/orders'));
    await lastValueFrom(this.b.get('/stock'));
  }
}

describe('RequestForgeModule', () => {
  let serverA: RecordingServer;
  let serverB: RecordingServer;
  let moduleRef: TestingModule | undefined;

  beforeEach(async () => {
    serverA = await RecordingServer.start();
    serverB = await RecordingServer.start();
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await serverA.close();
    await serverB.close();
  });

  const optionsFor = (a: string, b: string): RequestForgeModuleOptions => ({
    clients: {
      'service-a': { baseUrl: a, auth: { type: 'bearer', token: 'token-for-a' } },
      'service-b': {
        baseUrl: b,
        auth: { type: 'api-key', key: 'key-for-b', headerName: 'X-B-Key' },
      },
    },
  });

  const expectEachServerGotOnlyItsCredential = async (ref: TestingModule) => {
    await ref.get(OrdersService).callBoth();
    expect(serverA.requests).toHaveLength(1);
    expect(serverB.requests).toHaveLength(1);
    const a = serverA.requests[0].headers;
    const b = serverB.requests[0].headers;
    expect(a.authorization).toBe('Bearer token-for-a');
    expect(a['x-b-key']).toBeUndefined();
    expect(b['x-b-key']).toBe('key-for-b');
    expect(b.authorization).toBeUndefined();
  };

  it('injects two named clients with @InjectForgeClient; each server gets only its credential', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [RequestForgeModule.forRoot(optionsFor(serverA.url, serverB.url))],
      providers: [OrdersService],
    }).compile();
    await expectEachServerGotOnlyItsCredential(moduleRef);
  });

  it('forRootAsync with ConfigModule: useFactory + inject', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ urls: { a: serverA.url, b: serverB.url } })],
        }),
        RequestForgeModule.forRootAsync({
          clients: ['service-a', 'service-b'],
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            optionsFor(config.getOrThrow('urls.a'), config.getOrThrow('urls.b')),
        }),
      ],
      providers: [OrdersService],
    }).compile();
    await expectEachServerGotOnlyItsCredential(moduleRef);
  });

  it('forRootAsync with useClass', async () => {
    const urls = { a: serverA.url, b: serverB.url };
    @Injectable()
    class ForgeOptions implements RequestForgeOptionsFactory {
      createRequestForgeOptions(): RequestForgeModuleOptions {
        return optionsFor(urls.a, urls.b);
      }
    }
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRootAsync({
          clients: ['service-a', 'service-b'],
          useClass: ForgeOptions,
        }),
      ],
      providers: [OrdersService],
    }).compile();
    await expectEachServerGotOnlyItsCredential(moduleRef);
  });

  it('forRootAsync with useExisting', async () => {
    const urls = { a: serverA.url, b: serverB.url };
    @Injectable()
    class SharedForgeOptions implements RequestForgeOptionsFactory {
      async createRequestForgeOptions(): Promise<RequestForgeModuleOptions> {
        return optionsFor(urls.a, urls.b);
      }
    }
    @Module({ providers: [SharedForgeOptions], exports: [SharedForgeOptions] })
    class OptionsModule {}
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRootAsync({
          clients: ['service-a', 'service-b'],
          imports: [OptionsModule],
          useExisting: SharedForgeOptions,
        }),
      ],
      providers: [OrdersService],
    }).compile();
    await expectEachServerGotOnlyItsCredential(moduleRef);
  });

  it('isGlobal makes the clients injectable in other modules', async () => {
    @Injectable()
    class Consumer {
      constructor(@InjectForgeClient('service-a') readonly a: ForgeClient) {}
    }
    @Module({ providers: [Consumer], exports: [Consumer] })
    class FeatureModule {}
    moduleRef = await Test.createTestingModule({
      imports: [
        RequestForgeModule.forRoot({ ...optionsFor(serverA.url, serverB.url), isGlobal: true }),
        FeatureModule,
      ],
    }).compile();
    await lastValueFrom(moduleRef.get(Consumer).a.get('/global'));
    expect(serverA.requests[0].headers.authorization).toBe('Bearer token-for-a');
  });

  it('ForgeClientRegistry finds clients by a name known at run time', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [RequestForgeModule.forRoot(optionsFor(serverA.url, serverB.url))],
    }).compile();
    const registry = moduleRef.get(ForgeClientRegistry);
    expect(registry.names).toEqual(['service-a', 'service-b']);
    expect(registry.get('service-b')).toBe(moduleRef.get(getForgeClientToken('service-b')));
    expect(registry.get('service-b').name).toBe('service-b');
    expect(() => registry.get('nope')).toThrow(
      /No ForgeClient named "nope".*"service-a", "service-b"/,
    );
  });
});
