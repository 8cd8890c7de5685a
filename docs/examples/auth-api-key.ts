import { HttpClientConfigBuilder, RequestForgeModule } from 'nestjs-request-forge';

export const weatherConfig = new HttpClientConfigBuilder()
  .withBaseUrl('https://weather.example.com')
  .withApiKey(process.env.WEATHER_KEY ?? '', 'X-Weather-Key') // header name default: X-API-Key
  .build();

export const WeatherModule = RequestForgeModule.forRoot({
  clients: {
    weather: {
      baseUrl: 'https://weather.example.com',
      auth: { type: 'api-key', key: process.env.WEATHER_KEY ?? '', headerName: 'X-Weather-Key' },
    },
  },
});
