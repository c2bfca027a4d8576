import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter, Router } from '@angular/router';
import { NamespaceCreate } from './namespace-create';
import type { NamespaceEntity } from '@portcullis/contracts';

function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

function type(el: HTMLElement, selector: string, value: string) {
  const input = find<HTMLInputElement>(el, selector);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

const created = (over: Partial<NamespaceEntity> = {}): NamespaceEntity => ({
  id: 12,
  name: 'web',
  created_at: '',
  updated_at: '',
  description: 'Web images',
  team: { id: 4, name: 'qa', hidden: false },
  visibility: 'private',
  global: false,
  ...over,
});

async function setup() {
  jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
  TestBed.configureTestingModule({
    imports: [NamespaceCreate],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    ],
  });
  const fixture = TestBed.createComponent(NamespaceCreate);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  TestBed.tick();
  // The team picker asks for teams as soon as it shows.
  http.match((r) => r.url === '/api/v1/teams').forEach((r) => r.flush([{ id: 4, name: 'qa' }]));
  const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  return { fixture, http, navigate, el: fixture.nativeElement as HTMLElement };
}

/** settle lets the name check's debounce run and Angular render. */
function settle() {
  TestBed.tick();
  jest.advanceTimersByTime(300);
  TestBed.tick();
}

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('NamespaceCreate', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    jest.useRealTimers();
  });

  it('checks the name live and says why it cannot be used', async () => {
    const { http, el } = await setup();
    type(el, '[data-testid="namespace-name"]', 'Web');
    settle();
    const check = http.expectOne((r) => r.url === '/api/v1/namespaces/validate');
    expect(check.request.params.get('name')).toBe('Web');
    check.flush({ valid: false, messages: { name: ['name can only contain lower case letters'] } });
    TestBed.tick();
    expect(find(el, '[data-testid="namespace-name-feedback"]').textContent?.trim()).toBe(
      'Name can only contain lower case letters.',
    );
    type(el, '[data-testid="namespace-team"]', 'qa');
    TestBed.tick();
    http.match((r) => r.url === '/api/v1/teams').forEach((r) => r.flush([]));
    TestBed.tick();
    expect(find<HTMLButtonElement>(el, '[data-testid="namespace-submit"]').disabled).toBe(true);
  });

  it('creates the namespace, then applies a visibility other than private, then opens it', async () => {
    const { http, el, navigate } = await setup();
    type(el, '[data-testid="namespace-name"]', 'web');
    settle();
    http.expectOne((r) => r.url === '/api/v1/namespaces/validate').flush({ valid: true, messages: {} });
    TestBed.tick();
    expect(find(el, '[data-testid="namespace-name-feedback"]').textContent).toContain('“web” is available');
    type(el, '[data-testid="namespace-name"]', 'taken');
    settle();
    http
      .expectOne((r) => r.url === '/api/v1/namespaces/validate')
      .flush({ valid: false, messages: { name: ['has already been taken'] } });
    TestBed.tick();
    expect(find(el, '[data-testid="namespace-name-feedback"]').textContent?.trim()).toBe(
      'Name has already been taken.',
    );
    type(el, '[data-testid="namespace-name"]', 'web');
    settle();
    http.expectOne((r) => r.url === '/api/v1/namespaces/validate').flush({ valid: true, messages: {} });
    TestBed.tick();
    type(el, '[data-testid="namespace-team"]', 'qa');
    type(el, '[data-testid="namespace-description"]', 'Web images');
    TestBed.tick();
    http.match((r) => r.url === '/api/v1/teams').forEach((r) => r.flush([]));
    find(el, '[data-testid="namespace-visibility-public"] input').click();
    TestBed.tick();
    find(el, '[data-testid="namespace-submit"]').click();
    TestBed.tick();
    const post = http.expectOne((r) => r.method === 'POST' && r.url === '/api/v1/namespaces');
    expect(post.request.body).toEqual({ name: 'web', team: 'qa', description: 'Web images' });
    post.flush(created(), { status: 201, statusText: 'Created' });
    const put = http.expectOne('/api/v1/namespaces/12');
    expect(put.request.body).toEqual({ namespace: { visibility: 'public' } });
    put.flush(created({ visibility: 'public' }));
    expect(navigate).toHaveBeenCalledWith(['/namespaces', 12]);
  });

  it('shows why the API refused the namespace', async () => {
    const { http, el, navigate } = await setup();
    type(el, '[data-testid="namespace-name"]', 'web');
    type(el, '[data-testid="namespace-team"]', 'ghosts');
    settle();
    http.match((r) => r.url === '/api/v1/teams').forEach((r) => r.flush([]));
    http.expectOne((r) => r.url === '/api/v1/namespaces/validate').flush({ valid: true, messages: {} });
    TestBed.tick();
    find(el, '[data-testid="namespace-submit"]').click();
    TestBed.tick();
    http
      .expectOne((r) => r.method === 'POST' && r.url === '/api/v1/namespaces')
      .flush({ message: "team 'ghosts' not found", code: 'TEAM.NOT_FOUND' }, { status: 404, statusText: 'Not Found' });
    TestBed.tick();
    expect(find(el, '[data-testid="namespace-create-error"]').textContent).toContain("team 'ghosts' not found");
    expect(navigate).not.toHaveBeenCalled();
  });
});
