import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { ActivatedRoute, convertToParamMap, provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { WebhookDetail } from './webhook-detail';
import type { DeliveryEntity, WebhookEntity } from '@portcullis/contracts';

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

/** hook builds a webhook entity as the API renders it. */
const hook = (id: number, name: string, over: Partial<WebhookEntity> = {}): WebhookEntity => ({
  id,
  namespace_id: 3,
  name,
  url: `https://ci.example.com/${name}`,
  request_method: 'POST',
  content_type: 'application/json',
  username: '',
  has_password: false,
  has_secret: false,
  enabled: true,
  events: ['push', 'delete'],
  repositories: [],
  format: 'portus',
  headers: [],
  created_at: '',
  updated_at: '',
  ...over,
});

const delivery = (id: string, over: Partial<DeliveryEntity> = {}): DeliveryEntity => ({
  id,
  uuid: id,
  webhook_id: 1,
  state: 'dead',
  status: 500,
  event_id: 'e1',
  event_position: '12',
  event: 'push',
  replay_id: null,
  request: {
    method: 'POST',
    url: 'https://ci.example.com/ci',
    content_type: 'application/json',
    body: '{"events":[]}',
    headers: { 'X-Trace': 't1' },
  },
  response: { headers: { 'content-type': 'text/plain' }, body: 'receiver exploded', truncated: false },
  attempts: [],
  next_attempt_at: null,
  dead_reason: 'HTTP 500',
  created_at: '2026-11-28T06:00:00Z',
  updated_at: '2026-11-28T06:00:00Z',
  ...over,
});

const DELIVERIES = '/api/v1/namespaces/3/webhooks/1/deliveries';

async function setup(deliveries: DeliveryEntity[]) {
  TestBed.configureTestingModule({
    imports: [WebhookDetail],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ namespaceId: '3', id: '1' })) } },
    ],
  });
  const fixture = TestBed.createComponent(WebhookDetail);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  TestBed.tick();
  http.expectOne('/api/v1/namespaces/3/webhooks/1').flush(hook(1, 'ci', { headers: [{ id: 7, name: 'X-Token' }] }));
  http.expectOne((r) => r.url === DELIVERIES).flush(deliveries, { headers: { 'X-Total': String(deliveries.length) } });
  await fixture.whenStable();
  return { fixture, http, el: fixture.nativeElement as HTMLElement };
}

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('WebhookDetail', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows a delivery with its request and response on demand, and retriggers it', async () => {
    const { fixture, http, el } = await setup([delivery('d1')]);
    const row = find(el, '[data-testid="delivery-d1"]');
    expect(row.textContent).toContain('dead');
    expect(row.textContent).toContain('HTTP 500');
    expect(el.querySelector('[data-testid="delivery-detail"]')).toBeNull();
    const toggle = [...row.querySelectorAll('button')].find((b) => b.textContent?.includes('Request and response'));
    toggle?.click();
    await fixture.whenStable();
    const detail = find(el, '[data-testid="delivery-detail"]');
    expect(detail.textContent).toContain('POST https://ci.example.com/ci');
    expect(detail.textContent).toContain('X-Trace: t1');
    expect(detail.textContent).toContain('receiver exploded');
    find(el, '[data-testid="delivery-retrigger-d1"]').click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/namespaces/3/webhooks/1/deliveries/d1');
    expect(put.request.method).toBe('PUT');
    put.flush(delivery('d1', { state: 'delivered', status: 200 }));
    TestBed.tick();
    http.expectOne((r) => r.url === DELIVERIES).flush([delivery('d1', { state: 'delivered', status: 200 })]);
    await fixture.whenStable();
    expect(find(el, '[data-testid="delivery-d1"]').textContent).toContain('delivered');
    expect(find(el, '[data-testid="webhook-notice"]').textContent).toContain('Delivery sent again');
  });

  it('adds and removes custom headers, then shows the re-fetched webhook', async () => {
    const { fixture, http, el } = await setup([]);
    expect(find(el, '[data-testid="webhook-deliveries-empty"]')).toBeTruthy();
    expect(el.querySelector('[data-testid="webhook-header-X-Token"]')).not.toBeNull();
    type(el, '[data-testid="webhook-header-name"]', 'X-Env');
    type(el, '[data-testid="webhook-header-value"]', 'prod');
    find(el, '[data-testid="webhook-header-form"]').dispatchEvent(new Event('submit'));
    TestBed.tick();
    const post = http.expectOne('/api/v1/namespaces/3/webhooks/1/headers');
    expect(post.request.body).toEqual({ webhook_header: { name: 'X-Env', value: 'prod' } });
    post.flush({ id: 8, name: 'X-Env' }, { status: 201, statusText: 'Created' });
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3/webhooks/1').flush(
      hook(1, 'ci', {
        headers: [
          { id: 7, name: 'X-Token' },
          { id: 8, name: 'X-Env' },
        ],
      }),
    );
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="webhook-header-X-Env"]')).not.toBeNull();
    find(el, '[data-testid="webhook-header-X-Token"] button').click();
    TestBed.tick();
    const del = http.expectOne('/api/v1/namespaces/3/webhooks/1/headers/7');
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3/webhooks/1').flush(hook(1, 'ci', { headers: [{ id: 8, name: 'X-Env' }] }));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="webhook-header-X-Token"]')).toBeNull();
  });

  it('replays events since the chosen time', async () => {
    const { fixture, http, el } = await setup([]);
    type(el, '[data-testid="webhook-replay-since"]', '2026-11-27T10:30');
    await fixture.whenStable();
    find(el, '[data-testid="webhook-replay"]').click();
    TestBed.tick();
    const post = http.expectOne('/api/v1/namespaces/3/webhooks/1/replay');
    expect(post.request.body).toEqual({ from_time: new Date('2026-11-27T10:30').toISOString() });
    post.flush({}, { status: 202, statusText: 'Accepted' });
    TestBed.tick();
    http.expectOne((r) => r.url === DELIVERIES).flush([]);
    await fixture.whenStable();
    expect(find(el, '[data-testid="webhook-notice"]').textContent).toContain('Replay requested');
  });

  it('saves settings, keeping the stored password unless a new one is typed', async () => {
    const { fixture, http, el } = await setup([]);
    type(el, '[data-testid="webhook-url"]', 'https://ci.example.com/new');
    find(el, '[data-testid="webhook-form"]').dispatchEvent(new Event('submit'));
    TestBed.tick();
    const put = http.expectOne('/api/v1/namespaces/3/webhooks/1');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body.webhook.url).toBe('https://ci.example.com/new');
    expect('password' in put.request.body.webhook).toBe(false);
    put.flush(hook(1, 'ci', { url: 'https://ci.example.com/new' }));
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3/webhooks/1').flush(hook(1, 'ci', { url: 'https://ci.example.com/new' }));
    await fixture.whenStable();
    expect(find(el, '.page-header').textContent).toContain('https://ci.example.com/new');
  });
});
