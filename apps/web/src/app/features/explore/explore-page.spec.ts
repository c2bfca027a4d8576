import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { find, renderWithHttp } from '../../core/testing';
import { SetupState } from '../../core/setup-state';
import { Session } from '../../core/session';
import { ExplorePage } from './explore-page';

const setup = async () => renderWithHttp(ExplorePage);

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('ExplorePage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lists public repositories with a pull command, for anonymous visitors too', async () => {
    const { fixture, http, el } = await setup();
    const req = http.expectOne((r) => r.url === '/api/v1/explore/repositories');
    expect(req.request.params.get('page')).toBe('1');
    req.flush(
      [
        {
          id: 5,
          name: 'app',
          full_name: 'pub/app',
          namespace: { id: 1, name: 'pub' },
          registry_id: 1,
          stars: 2,
          tags_count: 3,
          description: 'Public app',
          created_at: '',
          updated_at: '',
          destroyable: false,
          registry_hostname: 'reg.example.com',
        },
      ],
      { headers: { 'X-Total': '1' } },
    );
    await fixture.whenStable();
    const row = find(el, '[data-testid="explore-row-pub/app"]');
    expect(row.textContent).toContain('Public app');
    expect(row.textContent).toContain('docker pull reg.example.com/pub/app');
  });

  it('says clearly that anonymous browsing is off when the API answers 401', async () => {
    const { fixture, http, el } = await setup();
    http
      .expectOne((r) => r.url === '/api/v1/explore/repositories')
      .flush({ message: 'Authentication fails', code: 'UNAUTHENTICATED' }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(find(el, '[data-testid="explore-off"]').textContent).toContain('Anonymous browsing is turned off');
    expect(el.querySelector('[data-testid="explore-search"]')).toBeNull();
  });

  it('does not even ask for repositories when set-up says anonymous browsing is off and nobody is signed in', async () => {
    TestBed.configureTestingModule({
      imports: [ExplorePage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    TestBed.inject(SetupState).info.set({ users: true, registry: true, anonymous_browsing: false, ldap: false });
    const fixture = TestBed.createComponent(ExplorePage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(find(el, '[data-testid="explore-off"]').textContent).toContain('Anonymous browsing is turned off');
    TestBed.inject(HttpTestingController).expectNone((r) => r.url === '/api/v1/explore/repositories');
  });

  it('lists public repositories for a signed-in user even when anonymous browsing is off', async () => {
    TestBed.configureTestingModule({
      imports: [ExplorePage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    TestBed.inject(SetupState).info.set({ users: true, registry: true, anonymous_browsing: false, ldap: false });
    TestBed.inject(Session).user.set({
      id: 1,
      username: 'alice',
      email: null,
      display_name: null,
      admin: false,
      enabled: true,
      bot: false,
      namespace_id: null,
    });
    const fixture = TestBed.createComponent(ExplorePage);
    fixture.detectChanges();
    TestBed.tick();
    TestBed.inject(HttpTestingController)
      .expectOne((r) => r.url === '/api/v1/explore/repositories')
      .flush([], { headers: { 'X-Total': '0' } });
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(find(el, '[data-testid="explore-empty"]').textContent).toContain('No public repositories yet');
  });

  it('shows other failures as errors with the API message', async () => {
    const { fixture, http, el } = await setup();
    http
      .expectOne((r) => r.url === '/api/v1/explore/repositories')
      .flush({ message: 'boom' }, { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();
    expect(find(el, '[data-testid="explore-error"]').textContent).toContain('boom');
  });
});
