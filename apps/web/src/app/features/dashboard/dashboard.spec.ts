import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { Dashboard } from './dashboard';

describe('Dashboard', () => {
  let fixture: ComponentFixture<Dashboard>;
  let el: HTMLElement;
  let api: HttpTestingController;

  const settle = async () => {
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
  };
  const section = (id: string) => el.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [Dashboard],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    api = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Dashboard);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => api.verify());

  it('shows loading states until the API answers', () => {
    expect(section('dashboard-activities')).toContain('Loading activity');
    expect(section('dashboard-namespaces')).toContain('Loading namespaces');
    expect(section('dashboard-starred')).toContain('Loading stars');
    api.match(() => true).forEach((r) => r.flush([]));
  });

  it('shows my recent activities, my namespaces and my starred repositories', async () => {
    const acts = api.expectOne((r) => r.url === '/api/v1/activities');
    expect(acts.request.params.get('per_page')).toBe('15');
    acts.flush([
      {
        id: 1,
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
      },
    ]);
    api
      .expectOne((r) => r.url === '/api/v1/namespaces')
      .flush([{ id: 3, name: 'qa', visibility: 'private', team: { id: 1, name: 'qa-team' } }]);
    const stars = api.expectOne((r) => r.url === '/api/v1/repositories');
    expect(stars.request.params.get('starred')).toBe('true');
    stars.flush([{ id: 4, full_name: 'qa/busybox', tags_count: 2 }]);
    await settle();
    expect(section('dashboard-activities')).toContain('ann');
    expect(section('dashboard-activities')).toContain('repository push');
    expect(section('dashboard-activities')).toContain('qa/busybox:v1');
    expect(el.querySelector('[data-testid="namespace-row"]')?.getAttribute('href')).toBe('/namespaces/3');
    expect(section('dashboard-namespaces')).toContain('team qa-team');
    expect(el.querySelector('[data-testid="starred-row"]')?.getAttribute('href')).toBe('/repositories/4');
    expect(section('dashboard-starred')).toContain('2 tags');
  });

  it('says when there is nothing yet, and shows a failing part with a retry', async () => {
    api.expectOne((r) => r.url === '/api/v1/activities').flush([]);
    api.expectOne((r) => r.url === '/api/v1/namespaces').flush([]);
    api
      .expectOne((r) => r.url === '/api/v1/repositories')
      .flush({ message: 'starred is not supported' }, { status: 400, statusText: 'x' });
    await settle();
    expect(section('dashboard-activities')).toContain('Nothing has happened');
    expect(section('dashboard-namespaces')).toContain('in no namespace');
    expect(section('dashboard-starred')).toContain('starred is not supported');
    el.querySelector<HTMLButtonElement>('[data-testid="dashboard-starred"] button')?.click();
    api.expectOne((r) => r.url === '/api/v1/repositories').flush([]);
    await settle();
    expect(section('dashboard-starred')).toContain('No stars yet');
  });
});
