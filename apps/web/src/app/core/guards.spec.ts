import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { adminGuard, authGuard, setupGuard } from './guards';
import { type CurrentUser, Session } from './session';

@Component({ template: 'page' })
class Page {}

const admin = { id: 1, username: 'root', admin: true } as CurrentUser;
const user = { id: 2, username: 'ann', admin: false } as CurrentUser;

describe('guards', () => {
  let api: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: '', component: Page, canActivate: [setupGuard, authGuard] },
          { path: 'admin/users', component: Page, canActivate: [adminGuard] },
          { path: 'sign-in', component: Page },
          { path: 'setup/admin', component: Page },
          { path: 'setup/registry', component: Page },
        ]),
      ],
    });
    api = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => api.verify());

  async function visit(url: string, setup?: object): Promise<string> {
    const nav = router.navigateByUrl(url);
    if (setup) {
      await new Promise((r) => setTimeout(r));
      api.expectOne('/api/v1/meta/setup').flush(setup);
    }
    await nav;
    return router.url;
  }

  const complete = { users: true, registry: true, anonymous_browsing: false, ldap: false };

  it('sends a fresh install (no users) to the first-admin form', async () => {
    expect(await visit('/', { ...complete, users: false, registry: false })).toBe('/setup/admin');
  });

  it('sends an admin of an install without a registry to the registry set-up', async () => {
    TestBed.inject(Session).user.set(admin);
    expect(await visit('/', { ...complete, registry: false })).toBe('/setup/registry');
  });

  it('does not send a non-admin to the registry set-up (they could not do it)', async () => {
    TestBed.inject(Session).user.set(user);
    expect(await visit('/', { ...complete, registry: false })).toBe('/');
  });

  it('sends anonymous visitors of a set-up install to sign-in', async () => {
    expect(await visit('/', complete)).toBe('/sign-in');
  });

  it('lets the UI work when the API cannot say how far set-up is', async () => {
    TestBed.inject(Session).user.set(user);
    const nav = router.navigateByUrl('/');
    await new Promise((r) => setTimeout(r));
    api.expectOne('/api/v1/meta/setup').flush({ message: 'not found' }, { status: 404, statusText: 'x' });
    await nav;
    expect(router.url).toBe('/');
  });

  it('keeps non-admins out of admin screens and sends anonymous visitors to sign-in with a return URL', async () => {
    expect(await visit('/admin/users')).toBe('/sign-in?returnUrl=%2Fadmin%2Fusers');
    TestBed.inject(Session).user.set(user);
    // The dashboard it lands on asks how far set-up is.
    expect(await visit('/admin/users', complete)).toBe('/');
    TestBed.inject(Session).user.set(admin);
    expect(await visit('/admin/users')).toBe('/admin/users');
  });
});
