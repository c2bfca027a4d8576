import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { ActivatedRoute, convertToParamMap, provideRouter, Router } from '@angular/router';
import { of } from 'rxjs';
import { WebhookCreate } from './webhook-create';

function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('WebhookCreate', () => {
  it('creates the webhook in the namespace of the address and opens it', async () => {
    TestBed.configureTestingModule({
      imports: [WebhookCreate],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ namespaceId: '8' })) } },
      ],
    });
    const fixture = TestBed.createComponent(WebhookCreate);
    const http = TestBed.inject(HttpTestingController);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    for (const [id, value] of [
      ['webhook-name', 'ci'],
      ['webhook-url', 'https://ci.example.com/x'],
    ]) {
      const input = find<HTMLInputElement>(el, `[data-testid="${id}"]`);
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    await fixture.whenStable();
    find(el, '[data-testid="webhook-submit"]').click();
    TestBed.tick();
    http
      .expectOne('/api/v1/namespaces/8/webhooks')
      .flush({ id: 21, name: 'ci' }, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/webhooks', 8, 21]);
    http.verify();
  });
});
