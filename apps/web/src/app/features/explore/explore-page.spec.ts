import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ExplorePage } from './explore-page';

function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

async function setup() {
  TestBed.configureTestingModule({
    imports: [ExplorePage],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
  });
  const fixture = TestBed.createComponent(ExplorePage);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  TestBed.tick();
  return { fixture, http, el: fixture.nativeElement as HTMLElement };
}

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

  it('shows other failures as errors with the API message', async () => {
    const { fixture, http, el } = await setup();
    http
      .expectOne((r) => r.url === '/api/v1/explore/repositories')
      .flush({ message: 'boom' }, { status: 503, statusText: 'Service Unavailable' });
    await fixture.whenStable();
    expect(find(el, '[data-testid="explore-error"]').textContent).toContain('boom');
  });
});
