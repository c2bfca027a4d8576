import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { ActivityLog, activityFilterParams, NAMESPACE_SEARCH_DELAY_MS } from './activity-log';

const push = {
  id: 11,
  key: 'repository.push',
  owner: { id: 2, username: 'ann' },
  trackable_type: 'Repository',
  trackable_id: 4,
  recipient_type: 'Tag',
  recipient_id: 8,
  namespace: { id: 3, name: 'qa' },
  team_id: 1,
  parameters: { repository_name: 'qa/busybox', tag_name: 'v1' },
  created_at: '2026-11-28T06:00:00Z',
};

describe('ActivityLog', () => {
  let fixture: ComponentFixture<ActivityLog>;
  let el: HTMLElement;
  let api: HttpTestingController;

  const settle = async () => {
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
  };
  const byId = <T extends HTMLElement>(id: string, root: ParentNode = el) =>
    root.querySelector<T>(`[data-testid="${id}"]`);
  const activities = () => api.expectOne((r) => r.url === '/api/v1/activities');

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ActivityLog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    api = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ActivityLog);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
    api.verify();
  });

  it('lists activities newest first with who, what, on what and where', async () => {
    activities().flush([push], { headers: { 'X-Total': '1' } });
    await settle();
    const row = byId('activity-row');
    expect(row?.textContent).toContain('ann');
    expect(row?.textContent).toContain('repository.push');
    expect(row?.textContent).toContain('qa/busybox:v1');
    expect(byId<HTMLAnchorElement>('activity-csv')?.getAttribute('href')).toBe('/api/v1/activities.csv');
  });

  it('sends the filters to the API and exports exactly the same filters as CSV', async () => {
    activities().flush([push]);
    await settle();
    const owner = byId<HTMLInputElement>('activity-filter-owner');
    if (!owner) throw new Error('no owner filter');
    owner.focus();
    owner.value = 'an';
    owner.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, NAMESPACE_SEARCH_DELAY_MS + 50));
    const who = api.expectOne((r) => r.url === '/api/v1/users/lookup');
    expect(who.request.params.get('q')).toBe('an');
    who.flush([{ id: 2, username: 'ann', display_name: 'Ann Lee' }]);
    await settle();
    [...document.querySelectorAll<HTMLElement>('mat-option')].find((o) => o.textContent?.includes('Ann Lee'))?.click();
    await settle();
    expect(owner.value).toBe('ann');
    byId<HTMLElement>('activity-filter-key')?.click();
    await settle();
    [...document.querySelectorAll<HTMLElement>('mat-option')]
      .find((o) => o.textContent?.includes('Tag pushed'))
      ?.click();
    const ns = byId<HTMLInputElement>('activity-filter-namespace');
    if (!ns) throw new Error('no namespace filter');
    ns.focus();
    ns.value = 'q';
    ns.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, NAMESPACE_SEARCH_DELAY_MS + 50));
    const lookup = api.expectOne((r) => r.url === '/api/v1/namespaces');
    expect(lookup.request.params.get('search')).toBe('q');
    lookup.flush([
      { id: 3, name: 'qa' },
      { id: 9, name: 'qa-tools' },
    ]);
    await settle();
    [...document.querySelectorAll<HTMLElement>('mat-option')].find((o) => o.textContent?.trim() === 'qa')?.click();
    await settle();
    expect(ns.value).toBe('qa');
    byId('activity-filters')?.dispatchEvent(new Event('submit'));
    await settle();
    const req = activities();
    expect(req.request.params.get('owner')).toBe('ann');
    expect(req.request.params.get('key')).toBe('repository.push');
    expect(req.request.params.get('namespace_id')).toBe('3');
    expect(req.request.params.get('page')).toBe('1');
    req.flush([]);
    await settle();
    expect(byId('activity-empty')?.textContent).toContain('No activity matches');
    expect(byId<HTMLAnchorElement>('activity-csv')?.getAttribute('href')).toBe(
      '/api/v1/activities.csv?owner=ann&key=repository.push&namespace_id=3',
    );
  });

  it("shows the API's refusal of a bad filter", async () => {
    activities().flush({ message: { from: ['must be an ISO 8601 time'] } }, { status: 422, statusText: 'x' });
    await settle();
    expect(byId('activity-error')?.textContent).toContain('from must be an ISO 8601 time');
  });
});

describe('ActivityLog namespace box', () => {
  it('drops a picked namespace when the admin types over it', async () => {
    TestBed.configureTestingModule({
      imports: [ActivityLog],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    const api = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ActivityLog);
    const el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    api.expectOne((r) => r.url === '/api/v1/activities').flush([]);
    const ns = el.querySelector<HTMLInputElement>('[data-testid="activity-filter-namespace"]');
    if (!ns) throw new Error('no namespace filter');
    ns.focus();
    ns.value = 'qa';
    ns.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, NAMESPACE_SEARCH_DELAY_MS + 50));
    api.expectOne((r) => r.url === '/api/v1/namespaces').flush([{ id: 3, name: 'qa' }]);
    await fixture.whenStable();
    fixture.detectChanges();
    document.querySelector<HTMLElement>('mat-option')?.click();
    ns.value = 'q';
    ns.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, NAMESPACE_SEARCH_DELAY_MS + 50));
    api.expectOne((r) => r.url === '/api/v1/namespaces').flush([]);
    el.querySelector('[data-testid="activity-filters"]')?.dispatchEvent(new Event('submit'));
    const req = api.expectOne((r) => r.url === '/api/v1/activities');
    expect(req.request.params.has('namespace_id')).toBe(false);
    req.flush([]);
    api.verify();
  });
});

describe('activityFilterParams', () => {
  it('turns the time range into ISO 8601 instants and leaves out empty filters', () => {
    const params = activityFilterParams({
      owner: ' ',
      key: '',
      namespace_id: '',
      from: '2026-11-01T08:30',
      to: 'not a date',
    });
    expect(params.keys()).toEqual(['from']);
    expect(params.get('from')).toBe(new Date('2026-11-01T08:30').toISOString());
  });
});
