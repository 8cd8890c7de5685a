import { lastValueFrom } from 'rxjs';
import {
  AuthenticationException,
  CircuitOpenException,
  ConnectionException,
  ForgeClient,
  HttpStatusException,
  RequestForgeException,
  TimeoutException,
} from 'nestjs-request-forge';

export async function loadUser(client: ForgeClient, id: string): Promise<unknown> {
  try {
    return (await lastValueFrom(client.get(`/users/${id}`))).data;
  } catch (error) {
    if (error instanceof HttpStatusException) {
      if (error.status === 404) return undefined; // a 401 only arrives after the auth retries
      if (error.isServerError) throw error; // after the request retries: error.attempts
      throw new Error(`users answered ${error.status}: ${JSON.stringify(error.response.data)}`);
    }
    if (error instanceof AuthenticationException) {
      // No token: the token endpoint refused (error.error is e.g. 'invalid_client').
      throw new Error(`no token for ${error.serviceName}: ${error.error ?? error.message}`);
    }
    if (error instanceof TimeoutException || error instanceof ConnectionException) throw error;
    if (error instanceof CircuitOpenException) return undefined; // fail fast until error.retryAt
    if (error instanceof RequestForgeException) throw error; // clientName, attempts
    throw error;
  }
}
