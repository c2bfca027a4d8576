import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { type CurrentUser, Session } from '../../core/session';
import { SignOut } from './sign-out';

@Component({ template: '' })
class Blank {}

describe('SignOut', () => {
  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'sign-out', component: SignOut },
          { path: 'sign-in', component: Blank },
        ]),
      ],
    });
    TestBed.inject(Session).user.set({ id: 2, username: 'ann' } as CurrentUser);
    TestBed.inject(Session).csrfToken.set('c');
  });

  // [API answer to DELETE /sessions]: the browser forgets the session and lands on sign-in either way.
  const rows: Array<[string, number]> = [
    ['ended', 204],
    ['already gone', 401],
    ['API failing', 503],
  ];
  it.each(rows)('signs out when the session is %s (%i)', async (_label, status) => {
    const router = TestBed.inject(Router);
    const harness = await RouterTestingHarness.create();
    const nav = harness.navigateByUrl('/sign-out');
    await new Promise((r) => setTimeout(r));
    const req = TestBed.inject(HttpTestingController).expectOne('/api/v1/sessions');
    expect(req.request.method).toBe('DELETE');
    req.flush(status === 204 ? null : { message: 'x' }, { status, statusText: 'x' });
    await nav;
    await new Promise((r) => setTimeout(r, 10));
    expect(TestBed.inject(Session).user()).toBeNull();
    expect(TestBed.inject(Session).csrfToken()).toBeNull();
    expect(router.url).toBe('/sign-in');
  });
});
