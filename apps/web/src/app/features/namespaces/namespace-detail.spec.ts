import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { ActivatedRoute, convertToParamMap } from '@angular/router';
import { of } from 'rxjs';
import { find, renderWithHttp } from '../../core/testing';
import { NamespaceDetail } from './namespace-detail';
import type { NamespaceEntity } from '@portcullis/contracts';

const ns = (over: Partial<NamespaceEntity> = {}): NamespaceEntity => ({
  id: 3,
  name: 'qa',
  created_at: '',
  updated_at: '',
  description: 'QA images',
  team: { id: 4, name: 'qa-team', hidden: false },
  visibility: 'private',
  global: false,
  ...over,
});

const repo = (id: number, name: string) => ({
  id,
  name,
  full_name: `qa/${name}`,
  namespace: { id: 3, name: 'qa' },
  registry_id: 1,
  registry_hostname: 'registry.example.com',
  stars: 0,
  tags_count: 2,
  description: '',
  created_at: '',
  updated_at: '',
  destroyable: true,
});

async function setup(repos = [repo(1, 'app'), repo(2, 'db')], headers: Record<string, string> = {}) {
  const { fixture, http } = renderWithHttp(NamespaceDetail, [
    { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ id: '3' })) } },
  ]);
  http.expectOne('/api/v1/namespaces/3').flush(ns());
  const first = http.expectOne((r) => r.url === '/api/v1/namespaces/3/repositories');
  first.flush(repos, { headers });
  TestBed.tick();
  http.match((r) => r.url === '/api/v1/teams').forEach((r) => r.flush([]));
  await fixture.whenStable();
  return { fixture, http, el: fixture.nativeElement as HTMLElement, firstParams: first.request.params };
}

async function openTab(fixture: { whenStable(): Promise<unknown> }, el: HTMLElement, label: string) {
  const tab = [...el.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => t.textContent?.includes(label));
  if (!tab) throw new Error(`no tab ${label}`);
  tab.click();
  TestBed.tick();
  await fixture.whenStable();
}

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('NamespaceDetail', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows the namespace with one page of repositories from the API and asks it for the next', async () => {
    const name = (i: number) => `r${String(i).padStart(2, '0')}`;
    const pageOne = Array.from({ length: 15 }, (_, i) => repo(i + 1, name(i)));
    const { fixture, http, el, firstParams } = await setup(pageOne, {
      'X-Total': '20',
      'X-Page': '1',
      'X-Per-Page': '15',
    });
    expect([firstParams.get('page'), firstParams.get('per_page')]).toEqual(['1', '15']);
    expect(find(el, '[data-testid="namespace-title"]').textContent).toBe('qa');
    expect(el.textContent).toContain('Only members of the team can pull.');
    expect(el.querySelectorAll('[data-testid^="repository-row-"]').length).toBe(15);
    expect(find(el, '.mat-mdc-paginator-range-label').textContent).toContain('of 20');

    find(el, '.mat-mdc-paginator-navigation-next').click();
    TestBed.tick();
    const next = http.expectOne((r) => r.url === '/api/v1/namespaces/3/repositories');
    expect([next.request.params.get('page'), next.request.params.get('per_page')]).toEqual(['2', '15']);
    const pageTwo = Array.from({ length: 5 }, (_, i) => repo(i + 16, name(i + 15)));
    next.flush(pageTwo, { headers: { 'X-Total': '20', 'X-Page': '2', 'X-Per-Page': '15' } });
    await fixture.whenStable();
    expect(
      [...el.querySelectorAll('[data-testid^="repository-row-"]')].map((r) => r.getAttribute('data-testid')),
    ).toEqual(['r15', 'r16', 'r17', 'r18', 'r19'].map((n) => `repository-row-${n}`));
    expect(find(el, '.mat-mdc-paginator-range-label').textContent).toContain('16 – 20 of 20');
  });

  it('switches visibility, explaining each choice, and shows the re-fetched state', async () => {
    const { fixture, http, el } = await setup();
    await openTab(fixture, el, 'Visibility');
    const group = find(el, '[data-testid="namespace-visibility"]');
    expect(group.textContent).toContain('Every signed-in user can pull.');
    expect(group.textContent).toContain('Anyone can pull, including anonymous users.');
    find(el, '[data-testid="namespace-visibility-protected"] input').click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/namespaces/3');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ namespace: { visibility: 'protected' } });
    put.flush(ns({ visibility: 'protected' }));
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3').flush(ns({ visibility: 'protected' }));
    await fixture.whenStable();
    expect(find(el, '[data-testid="namespace-change-notice"]').textContent).toContain('Visibility is now protected');
    expect(el.querySelector('header')?.textContent).toContain('Every signed-in user can pull.');
  });

  it('shows the refusal when the user may not change the visibility', async () => {
    const { fixture, http, el } = await setup();
    await openTab(fixture, el, 'Visibility');
    find(el, '[data-testid="namespace-visibility-public"] input').click();
    TestBed.tick();
    http
      .expectOne('/api/v1/namespaces/3')
      .flush({ message: 'Authorization fails', code: 'FORBIDDEN' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(find(el, '[data-testid="namespace-change-error"]').textContent).toContain('Authorization fails');
    expect(find<HTMLInputElement>(el, '[data-testid="namespace-visibility-private"] input').checked).toBe(true);
    expect(find<HTMLInputElement>(el, '[data-testid="namespace-visibility-public"] input').checked).toBe(false);
  });

  it('moves the namespace to another team picked from the suggestions', async () => {
    const { fixture, http, el } = await setup();
    await openTab(fixture, el, 'Team');
    expect(find(el, '[data-testid="namespace-team-link"]').textContent).toBe('qa-team');
    const input = find<HTMLInputElement>(el, '[data-testid="namespace-team-change"]');
    input.focus();
    input.value = 'op';
    input.dispatchEvent(new Event('input'));
    TestBed.tick();
    const lookup = http.expectOne((r) => r.url === '/api/v1/teams');
    expect(lookup.request.params.get('search')).toBe('op');
    lookup.flush([{ id: 8, name: 'ops' }]);
    await fixture.whenStable();
    const option = [...document.querySelectorAll<HTMLElement>('mat-option')].find((o) =>
      o.textContent?.includes('ops'),
    );
    if (!option) throw new Error('no ops option');
    option.click();
    TestBed.tick();
    http.match((r) => r.url === '/api/v1/teams').forEach((r) => r.flush([]));
    const button = [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) =>
      b.textContent?.includes('Change team'),
    );
    button?.click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/namespaces/3');
    expect(put.request.body).toEqual({ namespace: { team: 'ops' } });
    put.flush(ns({ team: { id: 8, name: 'ops', hidden: false } }));
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3').flush(ns({ team: { id: 8, name: 'ops', hidden: false } }));
    TestBed.tick();
    http.match((r) => r.url === '/api/v1/teams').forEach((r) => r.flush([]));
    await fixture.whenStable();
    expect(find(el, '[data-testid="namespace-change-notice"]').textContent).toContain('now belongs to team ops');
    expect(find(el, '[data-testid="namespace-team-link"]').textContent).toBe('ops');
  });

  it('saves the description', async () => {
    const { fixture, http, el } = await setup();
    await openTab(fixture, el, 'Description');
    const area = find<HTMLTextAreaElement>(el, '[data-testid="namespace-description-edit"]');
    expect(area.value).toBe('QA images');
    area.value = 'Images of the QA team';
    area.dispatchEvent(new Event('input'));
    TestBed.tick();
    find(el, '[data-testid="namespace-description-save"]').click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/namespaces/3');
    expect(put.request.body).toEqual({ namespace: { description: 'Images of the QA team' } });
    put.flush(ns({ description: 'Images of the QA team' }));
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3').flush(ns({ description: 'Images of the QA team' }));
    await fixture.whenStable();
    expect(find(el, '[data-testid="namespace-change-notice"]').textContent).toContain('Description saved');
  });

  it("embeds the namespace's webhooks in the webhooks tab", async () => {
    const { fixture, http, el } = await setup();
    const tab = [...el.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => t.textContent?.includes('Webhooks'));
    tab?.click();
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3/webhooks').flush([]);
    await fixture.whenStable();
    expect(find(el, '[data-testid="webhook-list-empty"]')).toBeTruthy();
    expect(find(el, '[data-testid="webhook-create"]').getAttribute('href')).toBe('/webhooks/3/new');
  });
});
