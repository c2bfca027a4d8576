import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Provider, Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

// Test helpers shared by the component specs; not part of the app bundle (only *.spec.ts import this file).

/** find returns the first element under root that matches selector, and fails the test naming it when none does. */
export function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

/**
 * renderWithHttp creates `component` against a test HttpClient and an empty router (plus `providers`), sets its
 * `inputs`, and renders it once, so the requests it makes on start are waiting in `http`.
 */
export function renderWithHttp<T>(
  component: Type<T>,
  providers: Provider[] = [],
  inputs: Record<string, unknown> = {},
) {
  TestBed.configureTestingModule({
    imports: [component],
    providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), ...providers],
  });
  const fixture = TestBed.createComponent(component);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  TestBed.tick();
  return { fixture, http, el: fixture.nativeElement as HTMLElement };
}
