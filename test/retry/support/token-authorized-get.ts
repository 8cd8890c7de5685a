import { HttpService } from '@nestjs/axios';
import { AxiosResponse } from 'axios';
import { Observable, defer, switchMap } from 'rxjs';
import { TokenData } from '../../../lib';

/** The README pattern: the token is read per subscription, so a retry sends a fresh one. */
export function tokenAuthorizedGet(
  http: HttpService,
  tokens: { getToken(): Promise<TokenData> },
  url: string,
): Observable<AxiosResponse> {
  return defer(() => tokens.getToken()).pipe(
    switchMap((token) => http.get(url, { headers: { Authorization: token.authorizationHeader } })),
  );
}
