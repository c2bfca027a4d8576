import { HttpErrorResponse } from '@angular/common/http';
import { Component, resource } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ListStatus } from './list-status';

/** Host lists "widgets" from a real resource whose load the test finishes by hand. */
@Component({
  imports: [ListStatus],
  template: `<app-list-status [resource]="widgets" what="widgets" errorTestId="widget-list-error" />`,
})
class Host {
  settle: { resolve(v: string[]): void; reject(e: unknown): void } | undefined;
  readonly widgets = resource({
    loader: () => new Promise<string[]>((resolve, reject) => (this.settle = { resolve, reject })),
  });
}

function render() {
  const fixture = TestBed.createComponent(Host);
  fixture.detectChanges();
  TestBed.tick();
  return { fixture, host: fixture.componentInstance, el: fixture.nativeElement as HTMLElement };
}

/** settle finishes the pending load and lets the view catch up. */
async function settle(fixture: { detectChanges(): void }, done: () => void) {
  done();
  await new Promise((r) => setTimeout(r));
  TestBed.tick();
  fixture.detectChanges();
}

jest.setTimeout(20_000);

describe('ListStatus', () => {
  it('shows a labelled progress bar while the list loads, and no alert', async () => {
    const { el } = render();
    expect(el.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Loading widgets');
    expect(el.querySelector('[role="alert"]')).toBeNull();
  });

  it("says what could not be loaded and the API's message, as an alert with the list's test id", async () => {
    const { fixture, host, el } = render();
    const problem = new HttpErrorResponse({ status: 403, error: { message: 'not yours' } });
    await settle(fixture, () => host.settle?.reject(problem));
    const alert = el.querySelector('[data-testid="widget-list-error"]');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toBe('Could not load widgets: not yours');
    expect(el.querySelector('mat-progress-bar')).toBeNull();
  });

  it('shows nothing once the list has loaded', async () => {
    const { fixture, host, el } = render();
    await settle(fixture, () => host.settle?.resolve(['a']));
    expect(el.textContent?.trim()).toBe('');
    expect(el.querySelector('mat-progress-bar')).toBeNull();
  });
});
