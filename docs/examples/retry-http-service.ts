import { HttpService } from '@nestjs/axios';
import { AxiosResponse } from 'axios';
import { defer, Observable, switchMap } from 'rxjs';
import { authRetry, ExponentialAuthRetryStrategy, TokenManager } from 'nestjs-request-forge';

const strategy = new ExponentialAuthRetryStrategy({ maxRetries: 2 });

export function me(http: HttpService, tokenManager: TokenManager): Observable<AxiosResponse> {
  return defer(() => tokenManager.getToken()).pipe(
    switchMap((token) =>
      http.get('https://api.example.com/me', {
        headers: { Authorization: token.authorizationHeader },
      }),
    ),
    authRetry({ strategy, tokenManager }),
  );
}
