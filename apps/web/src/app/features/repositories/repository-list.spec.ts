import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { find, renderWithHttp } from '../../core/testing';
import { RepositoryList } from './repository-list';
import type { RepositoryEntity } from '@portcullis/contracts';

const repo = (id: number, fullName: string): RepositoryEntity => ({
  id,
  name: fullName.split('/')[1],
  full_name: fullName,
  namespace: { id: 1, name: fullName.split('/')[0] },
  registry_id: 1,
  registry_hostname: 'registry.example.com',
  stars: 3,
  starred: false,
  tags_count: 7,
  description: 'desc',
  created_at: '',
  updated_at: '',
  destroyable: false,
});

const setup = async () => renderWithHttp(RepositoryList);

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('RepositoryList', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows one server page of 10,000 repositories and asks for the next page on demand', async () => {
    const { fixture, http, el } = await setup();
    http
      .expectOne((r) => r.url === '/api/v1/repositories')
      .flush(
        Array.from({ length: 15 }, (_, i) => repo(i + 1, `ns/r${i}`)),
        { headers: { 'X-Total': '10000' } },
      );
    await fixture.whenStable();
    expect(el.querySelectorAll('[data-testid^="repository-row-"]').length).toBe(15);
    expect(find(el, '[data-testid="repository-row-ns/r0"]').textContent).toContain('7');
    expect(find(el, '.mat-mdc-paginator-range-label').textContent).toContain('of 10000');
    find(el, '.mat-mdc-paginator-navigation-next').click();
    TestBed.tick();
    const next = http.expectOne((r) => r.url === '/api/v1/repositories');
    expect(next.request.params.get('page')).toBe('2');
    next.flush([repo(99, 'ns/r99')], { headers: { 'X-Total': '10000' } });
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="repository-row-ns/r99"]')).not.toBeNull();
  });

  it('lists only my starred repositories when asked', async () => {
    const { fixture, http, el } = await setup();
    http.expectOne((r) => r.url === '/api/v1/repositories').flush([], { headers: { 'X-Total': '0' } });
    await fixture.whenStable();
    find(el, '[data-testid="repository-starred-only"] input').click();
    TestBed.tick();
    const req = http.expectOne((r) => r.url === '/api/v1/repositories');
    expect(req.request.params.get('starred')).toBe('true');
    req.flush([], { headers: { 'X-Total': '0' } });
    await fixture.whenStable();
    expect(find(el, '[data-testid="repository-list-empty"]').textContent).toContain('not starred any');
  });
});
