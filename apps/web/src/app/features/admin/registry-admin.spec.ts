import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RegistryAdmin } from './registry-admin';

const registry = {
  id: 5,
  name: 'Production',
  hostname: 'registry.local:5000',
  external_hostname: null,
  use_ssl: false,
  created_at: 'x',
  updated_at: 'x',
};

describe('RegistryAdmin', () => {
  let fixture: ComponentFixture<RegistryAdmin>;
  let el: HTMLElement;
  let api: HttpTestingController;

  const settle = async () => {
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    fixture.detectChanges();
  };
  const byId = <T extends HTMLElement>(id: string) => el.querySelector<T>(`[data-testid="${id}"]`);
  const list = () => api.expectOne((r) => r.method === 'GET' && r.url === '/api/v1/registries');

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [RegistryAdmin],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    api = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(RegistryAdmin);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
  });

  afterEach(() => api.verify());

  it('edits the registry with PUT and shows it as the API now has it', async () => {
    expect(el.textContent).toContain('Loading the registry');
    list().flush([registry]);
    await settle();
    expect(byId('registry-row-5')?.textContent).toContain('registry.local:5000');
    byId<HTMLButtonElement>('registry-edit')?.click();
    await settle();
    expect(byId<HTMLInputElement>('registry-name')?.value).toBe('Production');
    const ext = byId<HTMLInputElement>('registry-external-hostname');
    if (!ext) throw new Error('no external hostname field');
    ext.value = 'registry.example.com';
    ext.dispatchEvent(new Event('input'));
    byId('registry-form')?.dispatchEvent(new Event('submit'));
    await settle();
    const put = api.expectOne('/api/v1/registries/5');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({
      registry: {
        name: 'Production',
        hostname: 'registry.local:5000',
        use_ssl: false,
        external_hostname: 'registry.example.com',
      },
    });
    put.flush({ ...registry, external_hostname: 'registry.example.com' });
    await settle();
    list().flush([{ ...registry, external_hostname: 'registry.example.com' }]);
    await settle();
    expect(byId('registry-form')).toBeNull();
    expect(byId('registry-row-5')?.textContent).toContain('pulled as registry.example.com');
    expect(byId('registry-saved')?.textContent).toContain('Saved');
  });

  it('keeps the form open with the reason when the API refuses the change', async () => {
    list().flush([registry]);
    await settle();
    byId<HTMLButtonElement>('registry-edit')?.click();
    await settle();
    byId('registry-form')?.dispatchEvent(new Event('submit'));
    await settle();
    api
      .expectOne('/api/v1/registries/5')
      .flush(
        { message: 'the hostname cannot change once repositories exist', code: 'REGISTRY.HOSTNAME_LOCKED' },
        { status: 422, statusText: 'x' },
      );
    await settle();
    expect(byId('registry-error')?.textContent).toContain('cannot change once repositories exist');
    expect(byId('registry-form')).not.toBeNull();
  });

  it('points to the set-up screen when there is no registry yet', async () => {
    list().flush([]);
    await settle();
    expect(el.textContent).toContain('No registry is set up yet.');
    expect(el.querySelector('a[href="/setup/registry"]')).not.toBeNull();
  });
});
