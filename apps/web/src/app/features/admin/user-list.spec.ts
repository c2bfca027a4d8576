import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { type CurrentUser, Session } from '../../core/session';
import { SEARCH_DELAY_MS, UserList } from './user-list';
import type { UserEntity } from '@portcullis/contracts';

const user = (id: number, username: string, extra: Partial<UserEntity> = {}): UserEntity => ({
  id,
  username,
  email: `${username}@example.com`,
  display_name: null,
  admin: false,
  enabled: true,
  bot: false,
  locked_at: null,
  last_sign_in_at: null,
  current_sign_in_at: null,
  namespace_id: null,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  ...extra,
});

describe('UserList', () => {
  let fixture: ComponentFixture<UserList>;
  let el: HTMLElement;
  let api: HttpTestingController;

  const settle = async () => {
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
  };
  const byId = <T extends HTMLElement>(id: string, root: ParentNode = el) =>
    root.querySelector<T>(`[data-testid="${id}"]`);
  const list = () => api.expectOne((r) => r.method === 'GET' && r.url === '/api/v1/users');
  const answer = (req: TestRequest, items: UserEntity[], total = items.length, page = 1) =>
    req.flush(items, { headers: { 'X-Total': String(total), 'X-Page': String(page), 'X-Per-Page': '20' } });
  const rows = () => [...el.querySelectorAll('[data-testid^="user-row-"]')].map((r) => r.getAttribute('data-testid'));

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [UserList],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    api = TestBed.inject(HttpTestingController);
    TestBed.inject(Session).user.set({ id: 1, username: 'root', admin: true } as CurrentUser);
    fixture = TestBed.createComponent(UserList);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
    api.verify();
  });

  it('asks the API for one page and shows its rows and total', async () => {
    expect(el.textContent).toContain('Loading users');
    const req = list();
    expect(req.request.params.get('page')).toBe('1');
    expect(req.request.params.get('per_page')).toBe('20');
    answer(req, [user(1, 'root', { admin: true }), user(2, 'ann'), user(3, 'ci', { bot: true })], 45);
    await settle();
    expect(rows()).toEqual(['user-row-root', 'user-row-ann', 'user-row-ci']);
    expect(byId('user-row-ci')?.textContent).toContain('bot');
    expect(byId('user-paginator')?.textContent).toContain('1 – 20 of 45');
  });

  it('searches on the server after the user pauses typing, from page one', async () => {
    answer(list(), [user(2, 'ann')], 1);
    await settle();
    const input = byId<HTMLInputElement>('user-search');
    if (!input) throw new Error('no search');
    input.value = 'an';
    input.dispatchEvent(new Event('input'));
    input.value = 'ann';
    input.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, SEARCH_DELAY_MS + 50));
    const req = list();
    expect(req.request.params.get('search')).toBe('ann');
    expect(req.request.params.get('page')).toBe('1');
    answer(req, []);
    await settle();
    expect(byId('user-list-empty')?.textContent).toContain('No user matches "ann"');
  });

  it('follows the paginator to the next page', async () => {
    answer(list(), [user(2, 'ann')], 45);
    await settle();
    el.querySelector<HTMLButtonElement>('.mat-mdc-paginator-navigation-next')?.click();
    const req = list();
    expect(req.request.params.get('page')).toBe('2');
    answer(req, [user(30, 'zoe')], 45, 2);
    await settle();
    expect(rows()).toEqual(['user-row-zoe']);
  });

  it('disables a user and shows the state the API answers', async () => {
    answer(list(), [user(2, 'ann')]);
    await settle();
    byId('user-enabled')?.querySelector('button')?.click();
    const put = api.expectOne('/api/v1/users/2/enabled');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ enabled: false });
    put.flush(user(2, 'ann', { enabled: false }));
    await settle();
    answer(list(), [user(2, 'ann', { enabled: false })]);
    await settle();
    expect(byId('user-enabled')?.querySelector('button')?.getAttribute('aria-checked')).toBe('false');
  });

  it('grants admin to others but cannot take it from the signed-in admin', async () => {
    answer(list(), [user(1, 'root', { admin: true }), user(2, 'ann')]);
    await settle();
    const toggles = el.querySelectorAll('[data-testid="user-admin"] button');
    expect((toggles[0] as HTMLButtonElement).disabled).toBe(true);
    (toggles[1] as HTMLButtonElement).click();
    const put = api.expectOne('/api/v1/users/2/admin');
    expect(put.request.body).toEqual({ admin: true });
    put.flush(user(2, 'ann', { admin: true }));
    await settle();
    answer(list(), [user(1, 'root', { admin: true }), user(2, 'ann', { admin: true })]);
  });

  it('deletes a user after the confirmation and shows the list without them', async () => {
    answer(list(), [user(1, 'root', { admin: true }), user(2, 'ann')]);
    await settle();
    expect(el.querySelectorAll('[data-testid="user-delete"]')).toHaveLength(1); // not for yourself
    byId<HTMLButtonElement>('user-delete')?.click();
    await settle();
    expect(byId('confirm-dialog', document)?.textContent).toContain('personal namespace');
    byId<HTMLButtonElement>('confirm-ok', document)?.click();
    await settle();
    const del = api.expectOne('/api/v1/users/2');
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    answer(list(), [user(1, 'root', { admin: true })]);
    await settle();
    expect(rows()).toEqual(['user-row-root']);
  });

  it('creates a bot from the dialog and lists it', async () => {
    answer(list(), [user(1, 'root', { admin: true })]);
    await settle();
    byId<HTMLButtonElement>('user-create')?.click();
    await settle();
    const type = (id: string, v: string) => {
      const input = byId<HTMLInputElement>(id, document);
      if (!input) throw new Error(id);
      input.value = v;
      input.dispatchEvent(new Event('input'));
    };
    type('user-create-username', 'ci-bot');
    type('user-create-email', 'ci@example.com');
    type('user-create-password', 'bot-password');
    byId('user-create-bot', document)?.querySelector('input')?.click();
    byId('user-create-form', document)?.dispatchEvent(new Event('submit'));
    await settle();
    const post = api.expectOne((r) => r.method === 'POST' && r.url === '/api/v1/users');
    expect(post.request.body).toEqual({
      user: { username: 'ci-bot', email: 'ci@example.com', password: 'bot-password', bot: true, admin: false },
    });
    post.flush(user(4, 'ci-bot', { bot: true }), { status: 201, statusText: 'Created' });
    await settle();
    answer(list(), [user(1, 'root', { admin: true }), user(4, 'ci-bot', { bot: true })]);
    await settle();
    expect(rows()).toEqual(['user-row-root', 'user-row-ci-bot']);
  });

  it('keeps the create dialog open with the reason when the API refuses', async () => {
    answer(list(), []);
    await settle();
    byId<HTMLButtonElement>('user-create')?.click();
    await settle();
    for (const [id, v] of [
      ['user-create-username', 'ann'],
      ['user-create-email', 'ann@example.com'],
      ['user-create-password', 'password-1'],
    ]) {
      const input = byId<HTMLInputElement>(id, document);
      if (!input) throw new Error(id);
      input.value = v;
      input.dispatchEvent(new Event('input'));
    }
    byId('user-create-form', document)?.dispatchEvent(new Event('submit'));
    await settle();
    api
      .expectOne((r) => r.method === 'POST' && r.url === '/api/v1/users')
      .flush({ message: { username: ['has already been taken'] } }, { status: 422, statusText: 'x' });
    await settle();
    expect(byId('user-create-error', document)?.textContent).toContain('username has already been taken');
  });

  it("opens a bot's application tokens for the admin", async () => {
    answer(list(), [user(1, 'root', { admin: true }), user(3, 'ci', { bot: true })]);
    await settle();
    expect(el.querySelectorAll('[data-testid="user-tokens"]')).toHaveLength(1); // bots only
    byId<HTMLButtonElement>('user-tokens')?.click();
    await settle();
    api
      .expectOne('/api/v1/users/3/application_tokens')
      .flush([
        { id: 5, application: 'pipeline', expires_at: null, created_at: '2026-11-01T00:00:00Z', last_used_at: null },
      ]);
    await settle();
    expect(byId('bot-tokens-dialog', document)?.textContent).toContain('pipeline');
  });

  it('does not let the signed-in admin disable themselves', async () => {
    answer(list(), [user(1, 'root', { admin: true }), user(2, 'ann')]);
    await settle();
    const toggles = el.querySelectorAll<HTMLButtonElement>('[data-testid="user-enabled"] button');
    expect(toggles[0].disabled).toBe(true);
    expect(toggles[1].disabled).toBe(false);
  });

  it('unlocks a user locked by failed sign-ins', async () => {
    answer(list(), [user(2, 'ann', { locked_at: '2026-11-28T06:00:00Z' })]);
    await settle();
    expect(byId('user-row-ann')?.textContent).toContain('locked');
    byId<HTMLButtonElement>('user-unlock')?.click();
    const put = api.expectOne('/api/v1/users/2/unlock');
    expect(put.request.method).toBe('PUT');
    put.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    answer(list(), [user(2, 'ann')]);
    await settle();
    expect(byId('user-unlock')).toBeNull();
  });

  it('shows the answer to the newest search even when an older one arrives last', async () => {
    answer(list(), [user(2, 'ann')]);
    await settle();
    const input = byId<HTMLInputElement>('user-search');
    if (!input) throw new Error('no search');
    const search = async (text: string) => {
      input.value = text;
      input.dispatchEvent(new Event('input'));
      await new Promise((r) => setTimeout(r, SEARCH_DELAY_MS + 50));
    };
    await search('a');
    const older = list();
    await search('an');
    const newer = api.match((r) => r.url === '/api/v1/users' && r.params.get('search') === 'an')[0];
    answer(newer, [user(2, 'ann')]);
    await settle();
    answer(older, [user(2, 'ann'), user(5, 'bart')]);
    await settle();
    expect(rows()).toEqual(['user-row-ann']);
  });
});
