import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { find, renderWithHttp } from '../../core/testing';
import { WebhookList } from './webhook-list';
import type { WebhookEntity } from '@portcullis/contracts';

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

const setup = async () =>
  renderWithHttp(WebhookList, [{ provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } }], {
    namespaceId: 3,
  });

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('WebhookList', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
  });

  it("lists the namespace's webhooks with a link to create one", async () => {
    const { fixture, http, el } = await setup();
    http.expectOne('/api/v1/namespaces/3/webhooks').flush([hook(1, 'ci')]);
    await fixture.whenStable();
    expect(find(el, '[data-testid="webhook-row-ci"]').textContent).toContain('push, delete');
    expect(find(el, '[data-testid="webhook-create"]').getAttribute('href')).toBe('/webhooks/3/new');
  });

  it('says when there are none', async () => {
    const { fixture, http, el } = await setup();
    http.expectOne('/api/v1/namespaces/3/webhooks').flush([]);
    await fixture.whenStable();
    expect(find(el, '[data-testid="webhook-list-empty"]').textContent).toContain('No webhooks yet');
  });

  it('toggles a webhook and shows the re-fetched state', async () => {
    const { fixture, http, el } = await setup();
    http.expectOne('/api/v1/namespaces/3/webhooks').flush([hook(1, 'ci')]);
    await fixture.whenStable();
    find(el, '[data-testid="webhook-enabled-ci"] button').click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/namespaces/3/webhooks/1/toggle_enabled');
    expect(put.request.method).toBe('PUT');
    put.flush(hook(1, 'ci', { enabled: false }));
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3/webhooks').flush([hook(1, 'ci', { enabled: false })]);
    await fixture.whenStable();
    expect(find(el, '[data-testid="webhook-enabled-ci"] button').getAttribute('aria-checked')).toBe('false');
  });

  it('deletes a webhook after confirmation', async () => {
    const { fixture, http, el } = await setup();
    http.expectOne('/api/v1/namespaces/3/webhooks').flush([hook(1, 'ci')]);
    await fixture.whenStable();
    find(el, '[data-testid="webhook-delete-ci"]').click();
    await fixture.whenStable();
    find(document, '[data-testid="confirm-ok"]').click();
    await fixture.whenStable();
    http.expectOne('/api/v1/namespaces/3/webhooks/1').flush(null, { status: 204, statusText: 'No Content' });
    TestBed.tick();
    http.expectOne('/api/v1/namespaces/3/webhooks').flush([]);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="webhook-row-ci"]')).toBeNull();
  });
});
