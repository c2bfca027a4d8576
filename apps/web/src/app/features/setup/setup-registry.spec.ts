import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SetupRegistry } from './setup-registry';

const registry = {
  id: 5,
  name: 'Production',
  hostname: 'registry.local:5000',
  external_hostname: null,
  use_ssl: false,
  created_at: 'x',
  updated_at: 'x',
};

/** blobText reads a Blob (jsdom's Blob has no text()). */
function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });
}

describe('SetupRegistry', () => {
  let fixture: ComponentFixture<SetupRegistry>;
  let el: HTMLElement;
  let api: HttpTestingController;

  const settle = async () => {
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
  };
  const byId = <T extends HTMLElement>(id: string) => el.querySelector<T>(`[data-testid="${id}"]`);

  function type(testid: string, value: string) {
    const input = byId<HTMLInputElement>(testid);
    if (!input) throw new Error(testid);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function render(existing: unknown[]) {
    fixture = TestBed.createComponent(SetupRegistry);
    el = fixture.nativeElement as HTMLElement;
    api.expectOne('/api/v1/registries').flush(existing);
    await settle();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [SetupRegistry],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    api = TestBed.inject(HttpTestingController);
  });

  afterEach(() => api.verify());

  it("checks the registry and shows the API's reason when it cannot be reached", async () => {
    await render([]);
    type('registry-name', 'Production');
    type('registry-hostname', 'registry.local:5000');
    byId('registry-check')?.click();
    await settle();
    const check = api.expectOne((r) => r.url === '/api/v1/registries/validate');
    expect(check.request.params.get('hostname')).toBe('registry.local:5000');
    expect(check.request.params.get('use_ssl')).toBe('false');
    check.flush({ valid: false, messages: { hostname: ['connection refused (ECONNREFUSED)'] } });
    await settle();
    expect(byId('registry-check-result')?.textContent).toContain('hostname: connection refused (ECONNREFUSED)');
  });

  it('says so when the registry answers', async () => {
    await render([]);
    type('registry-name', 'Production');
    type('registry-hostname', 'registry.local:5000');
    byId('registry-check')?.click();
    await settle();
    api.expectOne((r) => r.url === '/api/v1/registries/validate').flush({ valid: true, messages: {} });
    await settle();
    expect(byId('registry-check-result')?.textContent).toContain('The registry answers');
  });

  it('creates the registry, then offers its config.yml as a download', async () => {
    await render([]);
    type('registry-name', 'Production');
    type('registry-hostname', 'registry.local:5000');
    byId('registry-use-ssl')?.querySelector('input')?.click();
    byId('registry-form')?.dispatchEvent(new Event('submit'));
    await settle();
    const create = api.expectOne('/api/v1/registries');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({
      registry: { name: 'Production', hostname: 'registry.local:5000', use_ssl: true, external_hostname: null },
    });
    create.flush({ ...registry, use_ssl: true }, { status: 201, statusText: 'Created' });
    await settle();
    api.expectOne('/api/v1/meta/setup').flush({ users: true, registry: true, anonymous_browsing: false, ldap: false });
    await settle();
    expect(byId('setup-registry-done')?.textContent).toContain('Production');

    const blobs: Blob[] = [];
    const names: string[] = [];
    Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:x'), revokeObjectURL: () => undefined });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      names.push(this.download);
    });
    byId('download-config')?.click();
    await settle();
    api.expectOne('/api/v1/registries/5/config').flush({
      files: { 'config.yml': 'version: 0.1\nauth:\n  token: {}\n', 'portcullis-bundle.crt': 'CERT' },
      run: 'docker-registry serve config.yml',
    });
    await settle();
    click.mockRestore();
    expect(names).toEqual(['config.yml']);
    expect(await blobText(blobs[0])).toBe('version: 0.1\nauth:\n  token: {}\n');
    expect(el.textContent).toContain('docker-registry serve config.yml');
  });

  it('shows the create refusal (e.g. unreachable) in the form', async () => {
    await render([]);
    type('registry-name', 'Production');
    type('registry-hostname', 'nowhere:5000');
    byId('registry-form')?.dispatchEvent(new Event('submit'));
    await settle();
    api
      .expectOne('/api/v1/registries')
      .flush({ message: { hostname: ['registry is not reachable'] } }, { status: 422, statusText: 'x' });
    await settle();
    expect(byId('registry-error')?.textContent).toContain('hostname registry is not reachable');
    expect(byId('setup-registry-done')).toBeNull();
  });

  it('shows an existing registry instead of the form', async () => {
    await render([registry]);
    expect(byId('registry-form')).toBeNull();
    expect(byId('setup-registry-done')?.textContent).toContain('already guards');
  });
});
