import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { type CurrentUser, Session } from '../core/session';
import { SetupState } from '../core/setup-state';
import { Shell } from './shell';

@Component({ template: '<p>screen</p>' })
class Screen {}

const ann = { id: 2, username: 'ann', display_name: 'Ann Lee', admin: false } as CurrentUser;
const root = { id: 1, username: 'root', display_name: null, admin: true } as CurrentUser;

describe('Shell', () => {
  let fixture: ComponentFixture<Shell>;
  let el: HTMLElement;

  async function render(user: CurrentUser | null): Promise<void> {
    const session = TestBed.inject(Session);
    session.user.set(user);
    session.loaded.set(true);
    fixture = TestBed.createComponent(Shell);
    el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    fixture.detectChanges();
  }

  const navLabels = () => [...el.querySelectorAll('nav[aria-label="Main"] a')].map((a) => a.textContent?.trim());

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: '', component: Screen },
          { path: 'search', component: Screen },
          { path: 'sign-in', component: Screen },
        ]),
      ],
    });
  });

  it('shows a signed-in user the main navigation and their name, without Admin for non-admins', async () => {
    await render(ann);
    expect(navLabels()).toEqual(['Dashboard', 'Namespaces', 'Teams', 'Search', 'Explore']);
    expect(el.querySelector('[data-testid="user-menu"]')?.textContent).toContain('Ann Lee');
    expect(el.querySelector('main#main-content')).not.toBeNull();
    expect(el.querySelector('header')).not.toBeNull();
  });

  it('adds the Admin link for admins', async () => {
    await render(root);
    expect(navLabels()).toContain('Admin');
    expect(el.querySelector('[data-testid="user-menu"]')?.textContent).toContain('root');
  });

  it('offers sign-in (and Explore) to anonymous visitors instead of a user menu', async () => {
    await render(null);
    expect(el.querySelector('[data-testid="sign-in-link"]')?.getAttribute('href')).toBe('/sign-in');
    expect(el.querySelector('[data-testid="user-menu"]')).toBeNull();
    expect(el.querySelector('[data-testid="global-search"]')).toBeNull();
  });

  it('hides Explore from anonymous visitors when anonymous browsing is off', async () => {
    TestBed.inject(SetupState).info.set({ users: true, registry: true, anonymous_browsing: false, ldap: false });
    await render(null);
    expect(el.querySelector('[data-testid="explore-link"]')).toBeNull();
    TestBed.inject(SetupState).info.set({ users: true, registry: true, anonymous_browsing: true, ldap: false });
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="explore-link"]')?.getAttribute('href')).toBe('/explore');
  });

  it('routes the global search box to /search?q=', async () => {
    await render(ann);
    const input = el.querySelector<HTMLInputElement>('[data-testid="global-search-input"]');
    if (!input) throw new Error('no search box');
    input.value = 'nginx base';
    input.dispatchEvent(new Event('input'));
    el.querySelector('[data-testid="global-search"]')?.dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/search?q=nginx%20base');
  });

  it('offers profile and sign-out in the user menu', async () => {
    await render(ann);
    el.querySelector<HTMLButtonElement>('[data-testid="user-menu"]')?.click();
    fixture.detectChanges();
    expect(document.querySelector('[data-testid="menu-profile"]')?.getAttribute('href')).toBe('/profile');
    expect(document.querySelector('[data-testid="sign-out"]')?.getAttribute('href')).toBe('/sign-out');
  });

  it('shows the current search in the box when the search page is opened by link', async () => {
    await render(ann);
    await TestBed.inject(Router).navigateByUrl('/search?q=redis');
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
    expect(el.querySelector<HTMLInputElement>('[data-testid="global-search-input"]')?.value).toBe('redis');
  });

  it('clears the search box when leaving the search page, but keeps what the user typed since', async () => {
    await render(ann);
    const router = TestBed.inject(Router);
    const box = () => el.querySelector<HTMLInputElement>('[data-testid="global-search-input"]');
    const settle = async () => {
      await fixture.whenStable();
      fixture.detectChanges();
      await fixture.whenStable();
    };
    await router.navigateByUrl('/search?q=redis');
    await settle();
    expect(box()?.value).toBe('redis');
    await router.navigateByUrl('/');
    await settle();
    expect(box()?.value).toBe('');

    await router.navigateByUrl('/search?q=nginx');
    await settle();
    const input = box();
    if (!input) throw new Error('no search box');
    input.value = 'postgres';
    input.dispatchEvent(new Event('input'));
    await router.navigateByUrl('/');
    await settle();
    expect(box()?.value).toBe('postgres');
  });

  it('has a skip link that moves focus to the main content', async () => {
    await render(ann);
    const skip = el.querySelector<HTMLAnchorElement>('[data-testid="skip-link"]');
    expect(skip?.textContent).toContain('Skip to content');
    document.body.appendChild(el);
    skip?.click();
    expect(document.activeElement?.id).toBe('main-content');
  });
});
