import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RequestForgeModule } from 'nestjs-request-forge';

@Module({
  imports: [
    ConfigModule.forRoot(),
    RequestForgeModule.forRootAsync({
      clients: ['service-a'],
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        clients: {
          'service-a': {
            baseUrl: config.getOrThrow<string>('SERVICE_A_URL'),
            auth: { type: 'bearer', token: config.getOrThrow<string>('SERVICE_A_TOKEN') },
          },
        },
      }),
    }),
  ],
})
export class AppModule {}
