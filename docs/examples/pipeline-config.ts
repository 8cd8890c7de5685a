import { RequestForgeModule } from 'nestjs-request-forge';

// App token, then a user token requested with the app token. Each step is cached on its own;
// a 401 from the API refetches only `refreshFromStep` and the steps after it.
export const ProfileModule = RequestForgeModule.forRoot({
  clients: {
    profile: {
      baseUrl: 'https://api.example.com',
      auth: {
        type: 'pipeline',
        refreshFromStep: 'user_token',
        steps: [
          {
            name: 'app_token',
            baseUrl: 'https://auth.example.com',
            endpoint: '/v1/app/token',
            requestData: {
              grant_type: 'client_credentials',
              client_id: 'my-app',
              client_secret: process.env.APP_SECRET ?? '',
            },
            ttl: 3_600_000, // cache for at most an hour (or expires_in, if shorter)
          },
          {
            name: 'user_token',
            baseUrl: 'https://auth.example.com',
            endpoint: '/v1/user/token',
            dependsOn: ['app_token'],
            requestHeaders: { 'X-App-Token': '{{app_token}}' },
            contentType: 'json',
            requestData: {
              username: 'user@example.com',
              password: process.env.USER_PASSWORD ?? '',
            },
            tokenField: 'data.access_token', // a dot path into the JSON body
            ttl: 1_800_000,
          },
        ],
      },
    },
  },
});
