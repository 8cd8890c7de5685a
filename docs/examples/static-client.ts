import { lastValueFrom } from 'rxjs';
import { ForgeClient, HttpClientConfigBuilder } from 'nestjs-request-forge';

export async function listUsers(): Promise<unknown> {
  const config = new HttpClientConfigBuilder()
    .withBaseUrl('https://api.example.com/v1')
    .withBearerToken(process.env.API_TOKEN ?? '')
    .withTimeout(5_000)
    .withHeader('X-Tenant', 'acme')
    .build(); // validated here: a ConfigurationException names the bad field

  const client = new ForgeClient(config);
  const users = await lastValueFrom(client.get('/users')); // → https://api.example.com/v1/users
  return users.data;
}
