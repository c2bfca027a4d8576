import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { ActivatedRoute, convertToParamMap, provideRouter, Router } from '@angular/router';
import { BehaviorSubject } from 'rxjs';
import { SearchPage } from './search-page';

function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

async function setup(q: string | null) {
  const query = new BehaviorSubject(convertToParamMap(q === null ? {} : { q }));
  TestBed.configureTestingModule({
    imports: [SearchPage],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      { provide: ActivatedRoute, useValue: { queryParamMap: query } },
    ],
  });
  const fixture = TestBed.createComponent(SearchPage);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  TestBed.tick();
  return { fixture, http, query, el: fixture.nativeElement as HTMLElement };
}

const bySearchType = (type: string) => (r: { url: string; params: { get(k: string): string | null } }) =>
  r.url === '/api/v1/search' && r.params.get('type') === type;

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('SearchPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('asks for a search text before searching', async () => {
    const { fixture, el } = await setup(null);
    await fixture.whenStable();
    expect(find(el, '[data-testid="search-prompt"]').textContent).toContain('Type a name');
  });

  it('searches each kind and shows the counts on the tabs and the hits as links', async () => {
    const { fixture, http, el } = await setup('app');
    const repos = http.expectOne(bySearchType('repositories'));
    expect(repos.request.params.get('q')).toBe('app');
    repos.flush([{ type: 'repositories', id: 5, name: 'app', full_name: 'qa/app', description: 'The app' }], {
      headers: { 'X-Total': '1' },
    });
    http.expectOne(bySearchType('namespaces')).flush([], { headers: { 'X-Total': '0' } });
    http
      .expectOne(bySearchType('teams'))
      .flush([{ type: 'teams', id: 2, name: 'app-team', full_name: 'app-team', description: null }], {
        headers: { 'X-Total': '1' },
      });
    await fixture.whenStable();
    const tabs = [...el.querySelectorAll('[role="tab"]')].map((t) => t.textContent?.trim());
    expect(tabs).toEqual(['Repositories (1)', 'Namespaces (0)', 'Teams (1)']);
    const hit = find<HTMLAnchorElement>(el, '[data-testid="search-hit-repositories-qa/app"] a');
    expect(hit.getAttribute('href')).toBe('/repositories/5');
  });

  it('puts a new search text in the address', async () => {
    const { fixture, el } = await setup(null);
    await fixture.whenStable();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const input = find<HTMLInputElement>(el, '[data-testid="search-input"]');
    input.value = ' web ';
    input.dispatchEvent(new Event('input'));
    find(el, 'form').dispatchEvent(new Event('submit'));
    expect(navigate).toHaveBeenCalledWith([], { queryParams: { q: 'web' } });
  });
});
