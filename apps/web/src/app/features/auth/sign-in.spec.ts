import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { Session } from '../../core/session';
import { safeReturnUrl, SignIn } from './sign-in';

@Component({ template: '' })
class Blank {}

describe('SignIn', () => {
  let fixture: ComponentFixture<SignIn>;
  let el: HTMLElement;
  let api: HttpTestingController;

  async function render(setup = { users: true, registry: true, anonymous_browsing: false, ldap: false }) {
    fixture = TestBed.createComponent(SignIn);
    fixture.componentRef.setInput('returnUrl', '/teams/4');
    el = fixture.nativeElement as HTMLElement;
    api.expectOne('/api/v1/meta/setup').flush(setup);
    await fixture.whenStable();
    fixture.detectChanges();
  }

  function type(testid: string, value: string) {
    const input = el.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
    if (!input) throw new Error(testid);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submit() {
    el.querySelector('[data-testid="sign-in-form"]')?.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [SignIn],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'teams/:id', component: Blank },
          { path: '**', component: Blank },
        ]),
      ],
    });
    api = TestBed.inject(HttpTestingController);
  });

  afterEach(() => api.verify());

  it('posts the credentials, keeps the session and returns to where the user was going', async () => {
    await render();
    type('sign-in-username', 'ann');
    type('sign-in-password', 'secret-pw');
    await submit();
    const req = api.expectOne('/api/v1/sessions');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ username: 'ann', password: 'secret-pw' });
    req.flush({ user: { id: 2, username: 'ann', admin: false }, csrf_token: 'c1', expires_at: 'x' });
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    expect(TestBed.inject(Session).csrfToken()).toBe('c1');
    expect(TestBed.inject(Router).url).toBe('/teams/4');
  });

  it("shows the API's refusal in the form and clears the password", async () => {
    await render();
    type('sign-in-username', 'ann');
    type('sign-in-password', 'wrong-pw');
    await submit();
    api
      .expectOne('/api/v1/sessions')
      .flush({ message: 'Invalid username or password', code: 'AUTH.FAILED' }, { status: 401, statusText: 'x' });
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="sign-in-error"]')?.textContent).toContain('Invalid username or password');
    expect(el.querySelector<HTMLInputElement>('[data-testid="sign-in-password"]')?.value).toBe('');
  });

  it('does not post an empty form', async () => {
    await render();
    await submit();
    fixture.detectChanges();
    api.expectNone('/api/v1/sessions');
    expect(el.textContent).toContain('Enter your username.');
  });

  it('mentions the directory when the API signs in through LDAP', async () => {
    await render({ users: true, registry: true, anonymous_browsing: false, ldap: true });
    expect(el.querySelector('[data-testid="ldap-hint"]')?.textContent).toContain('LDAP');
  });

  it('does not mention LDAP when it is off', async () => {
    await render();
    expect(el.querySelector('[data-testid="ldap-hint"]')).toBeNull();
  });
});

describe('safeReturnUrl', () => {
  // [return URL from the query string, where sign-in goes]: only paths inside the app are followed.
  const rows: Array<[string | undefined, string]> = [
    ['/teams/4', '/teams/4'],
    ['/search?q=a', '/search?q=a'],
    [undefined, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ];
  it.each(rows)('%s → %s', (input, expected) => {
    expect(safeReturnUrl(input)).toBe(expected);
  });
});
