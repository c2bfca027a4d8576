import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { find, renderWithHttp } from '../../core/testing';
import { NamespaceList } from './namespace-list';
import type { NamespaceEntity } from '@portcullis/contracts';

const ns = (id: number, name: string): NamespaceEntity => ({
  id,
  name,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  description: `about ${name}`,
  team: { id: 7, name: 'qa', hidden: false },
  visibility: 'protected',
  global: false,
});

const setup = async () => renderWithHttp(NamespaceList);

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('NamespaceList', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows one page of namespaces with the total from X-Total', async () => {
    const { fixture, http, el } = await setup();
    const req = http.expectOne((r) => r.url === '/api/v1/namespaces');
    expect(req.request.params.get('page')).toBe('1');
    expect(req.request.params.get('per_page')).toBe('15');
    expect(req.request.params.has('search')).toBe(false);
    req.flush([ns(1, 'alpha'), ns(2, 'beta')], { headers: { 'X-Total': '42', 'X-Page': '1', 'X-Per-Page': '15' } });
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="namespace-row-alpha"]')?.textContent).toContain('qa');
    expect(el.querySelector('[data-testid="namespace-row-beta"]')).not.toBeNull();
    expect(el.querySelector('.mat-mdc-paginator-range-label')?.textContent).toContain('of 42');
  });

  it('searches on the server and asks for page 1 again', async () => {
    const { fixture, http, el } = await setup();
    http.expectOne((r) => r.url === '/api/v1/namespaces').flush([ns(1, 'alpha')], { headers: { 'X-Total': '1' } });
    await fixture.whenStable();
    const input = find<HTMLInputElement>(el, '[data-testid="namespace-search"]');
    input.value = 'zzz';
    input.dispatchEvent(new Event('input'));
    find(el, 'form').dispatchEvent(new Event('submit'));
    TestBed.tick();
    const req = http.expectOne((r) => r.url === '/api/v1/namespaces');
    expect(req.request.params.get('search')).toBe('zzz');
    req.flush([], { headers: { 'X-Total': '0' } });
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="namespace-list-empty"]')?.textContent).toContain(
      'No namespace matches “zzz”',
    );
  });

  it('searches as you type once typing pauses', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    try {
      const { fixture, http, el } = await setup();
      http.expectOne((r) => r.url === '/api/v1/namespaces').flush([ns(1, 'alpha')], { headers: { 'X-Total': '1' } });
      TestBed.tick();
      const input = find<HTMLInputElement>(el, '[data-testid="namespace-search"]');
      for (const text of ['b', 'be', 'bet']) {
        input.value = text;
        input.dispatchEvent(new Event('input'));
        TestBed.tick();
        jest.advanceTimersByTime(100);
      }
      http.expectNone((r) => r.url === '/api/v1/namespaces');
      jest.advanceTimersByTime(300);
      TestBed.tick();
      const req = http.expectOne((r) => r.url === '/api/v1/namespaces');
      expect(req.request.params.get('search')).toBe('bet');
      jest.useRealTimers();
      req.flush([ns(2, 'beta')], { headers: { 'X-Total': '1' } });
      await fixture.whenStable();
      expect(el.querySelector('[data-testid="namespace-row-beta"]')).not.toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it('says why the list could not load', async () => {
    const { fixture, http, el } = await setup();
    http
      .expectOne((r) => r.url === '/api/v1/namespaces')
      .flush({ message: 'Authorization fails', code: 'FORBIDDEN' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Authorization fails');
  });
});
