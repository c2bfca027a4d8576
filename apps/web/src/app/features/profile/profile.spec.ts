import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { type CurrentUser, Session } from '../../core/session';
import { Profile } from './profile';

const ann: CurrentUser = {
  id: 2,
  username: 'ann',
  email: 'ann@example.com',
  display_name: 'Ann',
  admin: false,
  enabled: true,
  bot: false,
  namespace_id: 3,
  locked_at: null,
  current_sign_in_at: null,
  last_sign_in_at: null,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
};
const token = (id: number, application: string) => ({
  id,
  application,
  expires_at: null,
  created_at: '2026-11-01T10:00:00Z',
  last_used_at: null,
});

describe('Profile', () => {
  let fixture: ComponentFixture<Profile>;
  let el: HTMLElement;
  let api: HttpTestingController;

  const settle = async () => {
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
  };
  const byId = <T extends HTMLElement>(id: string, root: ParentNode = el) =>
    root.querySelector<T>(`[data-testid="${id}"]`);
  function type(testid: string, value: string) {
    const input = byId<HTMLInputElement>(testid);
    if (!input) throw new Error(testid);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [Profile],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    api = TestBed.inject(HttpTestingController);
    TestBed.inject(Session).user.set(ann);
    fixture = TestBed.createComponent(Profile);
    el = fixture.nativeElement as HTMLElement;
    await settle();
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
    api.verify();
  });

  it('lists the application tokens, and says so when there are none', async () => {
    api.expectOne('/api/v1/users/2/application_tokens').flush([]);
    await settle();
    expect(el.textContent).toContain('No application tokens yet');
  });

  it('creates a token and shows its secret once in a dialog with a copy button, then lists it', async () => {
    api.expectOne('/api/v1/users/2/application_tokens').flush([]);
    await settle();
    type('token-application', 'ci');
    byId('token-form')?.dispatchEvent(new Event('submit'));
    await settle();
    const create = api.expectOne((r) => r.method === 'POST' && r.url === '/api/v1/users/2/application_tokens');
    expect(create.request.body).toEqual({ application: 'ci' });
    create.flush({ ...token(9, 'ci'), plain_token: 'Zx81-secret' }, { status: 201, statusText: 'Created' });
    await settle();
    api.expectOne('/api/v1/users/2/application_tokens').flush([token(9, 'ci')]);
    await settle();
    const dialog = byId('token-dialog', document);
    expect(byId<HTMLInputElement>('token-value', document)?.value).toBe('Zx81-secret');
    expect(dialog?.textContent).toContain('cannot show it again');
    expect(byId('token-copy', document)?.textContent).toContain('Copy');
    expect(el.querySelectorAll('[data-testid="token-row"]')).toHaveLength(1);
  });

  it('revokes a token only after the confirmation, then shows the list without it', async () => {
    api.expectOne('/api/v1/users/2/application_tokens').flush([token(9, 'ci'), token(10, 'laptop')]);
    await settle();
    byId<HTMLButtonElement>('token-revoke')?.click();
    await settle();
    expect(byId('confirm-dialog', document)?.textContent).toContain('stops working');
    byId<HTMLButtonElement>('confirm-ok', document)?.click();
    await settle();
    const del = api.expectOne('/api/v1/users/application_tokens/9');
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    api.expectOne('/api/v1/users/2/application_tokens').flush([token(10, 'laptop')]);
    await settle();
    expect(el.querySelectorAll('[data-testid="token-row"]')).toHaveLength(1);
    expect(el.textContent).not.toContain('ci');
  });

  it('does not revoke when the confirmation is cancelled', async () => {
    api.expectOne('/api/v1/users/2/application_tokens').flush([token(9, 'ci')]);
    await settle();
    byId<HTMLButtonElement>('token-revoke')?.click();
    await settle();
    byId<HTMLButtonElement>('confirm-cancel', document)?.click();
    await settle();
    api.expectNone('/api/v1/users/application_tokens/9');
  });

  it('saves display name and email and shows the saved values as the signed-in user', async () => {
    api.expectOne('/api/v1/users/2/application_tokens').flush([]);
    expect(byId<HTMLInputElement>('account-email')?.value).toBe('ann@example.com');
    type('account-display-name', 'Ann Lee');
    byId('account-form')?.dispatchEvent(new Event('submit'));
    await settle();
    const put = api.expectOne('/api/v1/users/2');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ user: { display_name: 'Ann Lee', email: 'ann@example.com' } });
    put.flush({ ...ann, display_name: 'Ann Lee' });
    await settle();
    expect(TestBed.inject(Session).user()?.display_name).toBe('Ann Lee');
    expect(byId('account-saved')?.textContent).toContain('Saved');
  });

  it('changes the password only when both entries match', async () => {
    api.expectOne('/api/v1/users/2/application_tokens').flush([]);
    type('password-new', 'new-password-1');
    type('password-confirm', 'new-password-2');
    byId('password-form')?.dispatchEvent(new Event('submit'));
    await settle();
    api.expectNone('/api/v1/users/2');
    expect(el.textContent).toContain('The two passwords differ.');
    type('password-confirm', 'new-password-1');
    byId('password-form')?.dispatchEvent(new Event('submit'));
    await settle();
    const put = api.expectOne('/api/v1/users/2');
    expect(put.request.body).toEqual({ user: { password: 'new-password-1' } });
    put.flush(ann);
    await settle();
    expect(byId('password-changed')?.textContent).toContain('Password changed');
    expect(byId<HTMLInputElement>('password-new')?.value).toBe('');
  });
});
