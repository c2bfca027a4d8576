import { TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';

describe('App shell', () => {
  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
  });

  it('says the API is up when /api/v1/_ping answers', async () => {
    const fixture = TestBed.createComponent(App);
    TestBed.inject(HttpTestingController).expectOne('/api/v1/_ping').flush('');
    await fixture.whenStable();
    fixture.detectChanges();
    const status = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="api-status"]');
    expect(status?.textContent).toContain('API is up');
  });

  it('says the API is unreachable when /api/v1/_ping fails', async () => {
    const fixture = TestBed.createComponent(App);
    TestBed.inject(HttpTestingController)
      .expectOne('/api/v1/_ping')
      .flush('', { status: 502, statusText: 'Bad Gateway' });
    await fixture.whenStable();
    fixture.detectChanges();
    const status = (fixture.nativeElement as HTMLElement).querySelector('[data-testid="api-status"]');
    expect(status?.textContent).toContain('not reachable');
  });
});
