import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { WebhookForm } from './webhook-form';
import type { WebhookEntity } from '@portcullis/contracts';

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

async function setup() {
  TestBed.configureTestingModule({
    imports: [WebhookForm],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    ],
  });
  const fixture = TestBed.createComponent(WebhookForm);
  fixture.componentRef.setInput('namespaceId', 3);
  const saved: WebhookEntity[] = [];
  fixture.componentInstance.saved.subscribe((h) => saved.push(h));
  await fixture.whenStable();
  return { fixture, http: TestBed.inject(HttpTestingController), el: fixture.nativeElement as HTMLElement, saved };
}

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('WebhookForm', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('creates a webhook with basic auth and the chosen events', async () => {
    const { fixture, http, el, saved } = await setup();
    const submit = find<HTMLButtonElement>(el, '[data-testid="webhook-submit"]');
    expect(submit.disabled).toBe(true);
    type(el, '[data-testid="webhook-name"]', 'ci');
    type(el, '[data-testid="webhook-url"]', 'https://ci.example.com/hook');
    type(el, '[data-testid="webhook-username"]', 'bot');
    type(el, '[data-testid="webhook-password"]', 's3cret');
    find(el, '[data-testid="webhook-event-pull"] input').click();
    await fixture.whenStable();
    expect(submit.disabled).toBe(false);
    submit.click();
    TestBed.tick();
    const post = http.expectOne('/api/v1/namespaces/3/webhooks');
    expect(post.request.body).toEqual({
      webhook: {
        name: 'ci',
        url: 'https://ci.example.com/hook',
        request_method: 'POST',
        content_type: 'application/json',
        username: 'bot',
        password: 's3cret',
        enabled: true,
        events: ['push', 'delete', 'pull'],
      },
    });
    post.flush({ id: 1, name: 'ci' }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(saved.map((h) => h.id)).toEqual([1]);
  });

  it('shows the API refusal', async () => {
    const { fixture, http, el } = await setup();
    type(el, '[data-testid="webhook-name"]', 'ci');
    type(el, '[data-testid="webhook-url"]', 'not a url');
    await fixture.whenStable();
    find(el, '[data-testid="webhook-submit"]').click();
    TestBed.tick();
    http
      .expectOne('/api/v1/namespaces/3/webhooks')
      .flush({ message: { url: ['is not a valid URL'] } }, { status: 422, statusText: 'Unprocessable Entity' });
    await fixture.whenStable();
    expect(find(el, '[data-testid="webhook-form-error"]').textContent).toContain('url is not a valid URL');
  });
});
