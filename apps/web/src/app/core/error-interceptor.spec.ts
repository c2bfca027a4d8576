import { HttpClient, HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { errorInterceptor, SHOWS_OWN_ERRORS } from './error-interceptor';
import { Session } from './session';

@Component({ template: '' })
class Blank {}

describe('errorInterceptor', () => {
  let http: HttpClient;
  let api: HttpTestingController;
  let snack: { open: jest.Mock };

  beforeEach(async () => {
    snack = { open: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'sign-in', component: Blank },
          { path: 'teams/:id', component: Blank },
        ]),
        { provide: MatSnackBar, useValue: snack },
      ],
    });
    http = TestBed.inject(HttpClient);
    api = TestBed.inject(HttpTestingController);
    await TestBed.inject(Router).navigateByUrl('/teams/7');
  });

  afterEach(() => api.verify());

  it('on 401 forgets the session and goes to sign-in, remembering where the user was', async () => {
    const session = TestBed.inject(Session);
    session.user.set({ id: 1, username: 'ann' } as never);
    session.csrfToken.set('t');
    const done = firstValueFrom(http.get('/api/v1/teams/7'));
    api.expectOne('/api/v1/teams/7').flush({ message: 'Authentication fails' }, { status: 401, statusText: 'x' });
    await expect(done).rejects.toMatchObject({ status: 401 });
    await new Promise((r) => setTimeout(r, 10));
    expect(session.user()).toBeNull();
    expect(session.csrfToken()).toBeNull();
    expect(TestBed.inject(Router).url).toBe('/sign-in?returnUrl=%2Fteams%2F7');
    expect(snack.open).not.toHaveBeenCalled();
  });

  it('leaves a 401 from the sessions endpoint to the sign-in form', async () => {
    const done = firstValueFrom(http.post('/api/v1/sessions', {}));
    api.expectOne('/api/v1/sessions').flush({ message: 'wrong password' }, { status: 401, statusText: 'x' });
    await expect(done).rejects.toMatchObject({ status: 401 });
    await new Promise((r) => setTimeout(r));
    expect(TestBed.inject(Router).url).toBe('/teams/7');
  });

  it('shows other errors as one sentence in a snackbar and rethrows them', async () => {
    const done = firstValueFrom(http.post('/api/v1/teams', {}));
    api
      .expectOne('/api/v1/teams')
      .flush(
        { message: { name: ['has already been taken'] }, code: 'TEAM.NAME_TAKEN' },
        { status: 422, statusText: 'x' },
      );
    await expect(done).rejects.toMatchObject({ status: 422 });
    expect(snack.open).toHaveBeenCalledWith('name has already been taken', 'Dismiss', expect.anything());
  });

  it('stays quiet for requests whose screen shows the error itself', async () => {
    const context = new HttpContext().set(SHOWS_OWN_ERRORS, true);
    const done = firstValueFrom(http.get('/api/v1/registries/validate', { context }));
    api.expectOne('/api/v1/registries/validate').flush({ message: 'no' }, { status: 400, statusText: 'x' });
    await expect(done).rejects.toMatchObject({ status: 400 });
    expect(snack.open).not.toHaveBeenCalled();
  });

  it('says the API is not reachable when the request never got an answer', async () => {
    const done = firstValueFrom(http.get('/api/v1/namespaces'));
    api.expectOne('/api/v1/namespaces').error(new ProgressEvent('error'), { status: 0 });
    await expect(done).rejects.toMatchObject({ status: 0 });
    expect(snack.open).toHaveBeenCalledWith('The Portcullis API is not reachable.', 'Dismiss', expect.anything());
    expect(TestBed.inject(Router).url).toBe('/teams/7');
  });
});
