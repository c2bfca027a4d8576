import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { csrfInterceptor } from './csrf-interceptor';
import { Session } from './session';

describe('csrfInterceptor', () => {
  let http: HttpClient;
  let api: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([csrfInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    api = TestBed.inject(HttpTestingController);
  });

  afterEach(() => api.verify());

  // [method, url, token, header expected]: only our own API's unsafe requests carry the token.
  const rows: Array<[string, string, string | null, string | null]> = [
    ['POST', '/api/v1/teams', 'tok-1', 'tok-1'],
    ['PUT', '/api/v1/users/3/admin', 'tok-1', 'tok-1'],
    ['DELETE', '/api/v1/sessions', 'tok-1', 'tok-1'],
    ['PATCH', '/api/v1/x', 'tok-1', 'tok-1'],
    ['GET', '/api/v1/teams', 'tok-1', null],
    ['HEAD', '/api/v1/teams', 'tok-1', null],
    ['POST', '/api/v1/teams', null, null],
    // hostile: another origin must never see the token
    ['POST', 'https://evil.example/steal', 'tok-1', null],
    ['POST', '//evil.example/steal', 'tok-1', null],
  ];

  it.each(rows)('%s %s with token %s sends X-CSRF-Token %s', async (method, url, token, expected) => {
    TestBed.inject(Session).csrfToken.set(token);
    const done = firstValueFrom(http.request(method, url, { body: {} }));
    const req = api.expectOne(url);
    expect(req.request.headers.get('X-CSRF-Token')).toBe(expected);
    req.flush({});
    await done;
  });
});
