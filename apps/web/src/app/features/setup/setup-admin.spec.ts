import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { Session } from '../../core/session';
import { SetupAdmin } from './setup-admin';

@Component({ template: '' })
class Blank {}

describe('SetupAdmin', () => {
  let fixture: ComponentFixture<SetupAdmin>;
  let el: HTMLElement;
  let api: HttpTestingController;

  const settle = async () => {
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
  };

  function type(testid: string, value: string) {
    const input = el.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
    if (!input) throw new Error(testid);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function fillAndSubmit() {
    type('setup-admin-username', 'root');
    type('setup-admin-email', 'root@example.com');
    type('setup-admin-password', 'correct-horse');
    el.querySelector('[data-testid="setup-admin-form"]')?.dispatchEvent(new Event('submit'));
    await settle();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [SetupAdmin],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([{ path: '**', component: Blank }])],
    });
    api = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SetupAdmin);
    el = fixture.nativeElement as HTMLElement;
    await settle();
  });

  afterEach(() => api.verify());

  it('creates the first admin, signs them in and moves on to the registry', async () => {
    await fillAndSubmit();
    const boot = api.expectOne('/api/v1/users/bootstrap');
    expect(boot.request.body).toEqual({
      user: { username: 'root', email: 'root@example.com', password: 'correct-horse' },
    });
    boot.flush({ id: 1, application: 'bootstrap', plain_token: 'p' }, { status: 201, statusText: 'Created' });
    await settle();
    const login = api.expectOne('/api/v1/sessions');
    expect(login.request.body).toEqual({ username: 'root', password: 'correct-horse' });
    login.flush({ user: { id: 1, username: 'root', admin: true }, csrf_token: 'c', expires_at: 'x' });
    await settle();
    api.expectOne('/api/v1/meta/setup').flush({ users: true, registry: false, anonymous_browsing: false, ldap: false });
    await settle();
    expect(TestBed.inject(Session).isAdmin()).toBe(true);
    expect(TestBed.inject(Router).url).toBe('/setup/registry');
  });

  it('shows why the API refused (e.g. an admin already exists) and stays on the form', async () => {
    await fillAndSubmit();
    api
      .expectOne('/api/v1/users/bootstrap')
      .flush({ message: 'users already exist', code: 'USER.BOOTSTRAP_DONE' }, { status: 400, statusText: 'x' });
    await settle();
    expect(el.querySelector('[data-testid="setup-admin-error"]')?.textContent).toContain('users already exist');
    api.expectNone('/api/v1/sessions');
  });

  it('refuses a short password before asking the API', async () => {
    type('setup-admin-username', 'root');
    type('setup-admin-email', 'root@example.com');
    type('setup-admin-password', 'short');
    el.querySelector('[data-testid="setup-admin-form"]')?.dispatchEvent(new Event('submit'));
    await settle();
    api.expectNone('/api/v1/users/bootstrap');
    expect(el.textContent).toContain('Use 8 to 128 characters.');
  });
});
