import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { ActivatedRoute, convertToParamMap, provideRouter, Router } from '@angular/router';
import { of } from 'rxjs';
import { RepositoryDetail } from './repository-detail';
import type { RepositoryEntity, TagEntity } from '@portcullis/contracts';

function find<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

const repo = (over: Partial<RepositoryEntity> = {}): RepositoryEntity => ({
  id: 5,
  name: 'app',
  full_name: 'qa/app',
  namespace: { id: 3, name: 'qa' },
  registry_id: 1,
  stars: 0,
  starred: false,
  tags_count: 3,
  description: 'The app',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  destroyable: true,
  registry_hostname: 'registry.example.com:5000',
  ...over,
});

const tag = (id: number, name: string, digest: string, over: Partial<TagEntity> = {}): TagEntity => ({
  id,
  name,
  repository_id: 5,
  author: { id: 1, name: 'alice' },
  digest,
  image_id: '',
  media_type: 'application/vnd.docker.distribution.manifest.v2+json',
  size: 5_347_737,
  platforms: null,
  scanned: 0,
  pushed_at: '2026-11-20T10:00:00Z',
  pulled_at: null,
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:00:00Z',
  ...over,
});

const A = 'sha256:aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111';
const B = 'sha256:bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222';

async function setup(groups: TagEntity[][], entity = repo(), more?: (http: HttpTestingController) => void) {
  TestBed.configureTestingModule({
    imports: [RepositoryDetail],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      provideRouter([]),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ id: '5' })) } },
    ],
  });
  const fixture = TestBed.createComponent(RepositoryDetail);
  const http = TestBed.inject(HttpTestingController);
  fixture.detectChanges();
  TestBed.tick();
  http.expectOne('/api/v1/repositories/5').flush(entity);
  http.expectOne('/api/v1/repositories/5/tags/grouped').flush(groups);
  if (more) {
    // The pull-command host is looked up once the repository has arrived.
    await new Promise((resolve) => setTimeout(resolve, 0));
    TestBed.tick();
    more(http);
  }
  await fixture.whenStable();
  return { fixture, http, el: fixture.nativeElement as HTMLElement };
}

// The first test of a file compiles the component's template: slow when the machine is busy.
jest.setTimeout(20_000);

describe('RepositoryDetail', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
  });

  it('shows tags grouped by digest with size, author and platforms of an index', async () => {
    const { el } = await setup([
      [tag(1, 'latest', A), tag(2, '1.0', A)],
      [
        tag(3, 'multi', B, {
          media_type: 'application/vnd.oci.image.index.v1+json',
          size: null,
          platforms: [
            { os: 'linux', architecture: 'amd64', variant: null, digest: 'sha256:1' },
            { os: 'linux', architecture: 'arm64', variant: 'v8', digest: 'sha256:2' },
          ],
          author: { id: 2, name: 'bob' },
          pulled_at: '2026-11-21T08:00:00Z',
        }),
      ],
    ]);
    const groupA = find(el, '[data-testid="tag-group-aaaaaaaaaaaa"]');
    expect(find(groupA, '[data-testid="tag-row-latest"]')).toBeTruthy();
    expect(find(groupA, '[data-testid="tag-row-1.0"]')).toBeTruthy();
    expect(find(groupA, '[data-testid="tag-size"]').textContent?.trim()).toBe('5.1 MiB');
    expect(find(groupA, '[data-testid="tag-author"]').textContent?.trim()).toBe('alice');
    expect(groupA.textContent).toContain('never');
    const groupB = find(el, '[data-testid="tag-group-bbbbbbbbbbbb"]');
    expect(groupB.textContent).toContain('OCI image index');
    expect(groupB.textContent).toContain('linux/amd64, linux/arm64/v8');
    expect(find(groupB, '[data-testid="tag-author"]').textContent?.trim()).toBe('bob');
    expect(find(el, '[data-testid="tag-count"]').textContent).toContain('3 tag(s) in 2 image(s)');
  });

  it('copies the pull command with the registry host and shows it', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { fixture, el } = await setup([[tag(1, 'latest', A)]]);
    find(el, '[data-testid="copy-pull-latest"]').click();
    await fixture.whenStable();
    expect(writeText).toHaveBeenCalledWith('docker pull registry.example.com:5000/qa/app:latest');
    expect(find(el, '[data-testid="pull-command"]').textContent).toBe(
      'docker pull registry.example.com:5000/qa/app:latest',
    );
  });

  it('builds the pull command from the entity’s registry host alone (no other look-up)', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { fixture, http, el } = await setup([[tag(1, 'latest', A)]], repo({ registry_hostname: 'pull.example.com' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    TestBed.tick();
    http.expectNone((r) => r.url === '/api/v1/namespaces');
    find(el, '[data-testid="copy-pull-latest"]').click();
    await fixture.whenStable();
    expect(writeText).toHaveBeenCalledWith('docker pull pull.example.com/qa/app:latest');
  });

  it('asks before deleting a tag, lists every tag sharing the digest, and re-fetches', async () => {
    const { fixture, http, el } = await setup([[tag(1, 'latest', A), tag(2, '1.0', A)], [tag(3, 'old', B)]]);
    find(el, '[data-testid="delete-tag-1.0"]').click();
    await fixture.whenStable();
    const list = find(document, '[data-testid="delete-tag-list"]');
    expect([...list.querySelectorAll('li')].map((li) => li.textContent?.trim())).toEqual(['1.0', 'latest']);
    find(document, '[data-testid="delete-tag-confirm"]').click();
    await fixture.whenStable();
    const del = http.expectOne('/api/v1/tags/2');
    expect(del.request.method).toBe('DELETE');
    // The API names every tag it removed: one pushed onto the digest since the page loaded is listed too.
    const gone = ['1.0', 'latest', 'nightly'];
    del.flush({ digests: [{ digest: A, tags: gone }], tags: gone, repository_deleted: false });
    TestBed.tick();
    expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain(
      'Deleted 3 tags: 1.0, latest, nightly.',
    );
    http.expectOne('/api/v1/repositories/5/tags/grouped').flush([[tag(3, 'old', B)]]);
    http.expectOne('/api/v1/repositories/5').flush(repo({ tags_count: 1 }));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="tag-row-latest"]')).toBeNull();
    expect(el.querySelector('[data-testid="tag-row-old"]')).not.toBeNull();
  });

  it('leaves for the namespace when deleting the last image deleted the repository too', async () => {
    const { fixture, http, el } = await setup([[tag(1, 'latest', A)]]);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    find(el, '[data-testid="delete-tag-latest"]').click();
    await fixture.whenStable();
    find(document, '[data-testid="delete-tag-confirm"]').click();
    await fixture.whenStable();
    http
      .expectOne('/api/v1/tags/1')
      .flush({ digests: [{ digest: A, tags: ['latest'] }], tags: ['latest'], repository_deleted: true });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith(['/namespaces', 3]);
  });

  it('edits the description and shows the saved text', async () => {
    const { fixture, http, el } = await setup([]);
    find(el, '[data-testid="repository-description-edit"]').click();
    await fixture.whenStable();
    const area = find<HTMLTextAreaElement>(el, '[data-testid="repository-description-input"]');
    expect(area.value).toBe('The app');
    area.value = 'The app, now documented';
    area.dispatchEvent(new Event('input'));
    find(el, '[data-testid="repository-description-save"]').click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/repositories/5');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ repository: { description: 'The app, now documented' } });
    put.flush(repo({ description: 'The app, now documented' }));
    TestBed.tick();
    http.expectOne('/api/v1/repositories/5').flush(repo({ description: 'The app, now documented' }));
    await fixture.whenStable();
    expect(find(el, '[data-testid="repository-description"]').textContent?.trim()).toBe('The app, now documented');
  });

  it('sends nothing when the deletion is cancelled', async () => {
    const { fixture, el } = await setup([[tag(1, 'latest', A)]]);
    find(el, '[data-testid="delete-tag-latest"]').click();
    await fixture.whenStable();
    find(document, '[data-testid="delete-tag-cancel"]').click();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="tag-row-latest"]')).not.toBeNull();
  });

  it('stars the repository and shows the new count', async () => {
    const { fixture, http, el } = await setup([]);
    expect(find(el, '[data-testid="tags-empty"]').textContent).toContain('registry.example.com:5000/qa/app');
    const star = find(el, '[data-testid="repository-star"]');
    expect(star.getAttribute('aria-pressed')).toBe('false');
    star.click();
    TestBed.tick();
    const put = http.expectOne('/api/v1/repositories/5/star');
    expect(put.request.method).toBe('PUT');
    put.flush(null, { status: 204, statusText: 'No Content' });
    TestBed.tick();
    http.expectOne('/api/v1/repositories/5').flush(repo({ stars: 1, starred: true }));
    await fixture.whenStable();
    expect(star.getAttribute('aria-pressed')).toBe('true');
    expect(star.textContent).toContain('1');
  });

  it('pages a repository with 1,000 tags instead of rendering them all', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => [
      tag(i + 1, `v${i}`, `sha256:${String(i).padStart(12, '0')}${'f'.repeat(52)}`),
    ]);
    const { fixture, el } = await setup(many);
    expect(el.querySelectorAll('[data-testid^="tag-group-"]').length).toBe(25);
    const filter = find<HTMLInputElement>(el, '[data-testid="tag-filter"]');
    filter.value = 'v999';
    filter.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelectorAll('[data-testid^="tag-group-"]').length).toBe(1);
    expect(el.querySelector('[data-testid="tag-row-v999"]')).not.toBeNull();
  });

  it('says why the repository could not load', async () => {
    TestBed.configureTestingModule({
      imports: [RepositoryDetail],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: ActivatedRoute, useValue: { paramMap: of(convertToParamMap({ id: '9' })) } },
      ],
    });
    const fixture = TestBed.createComponent(RepositoryDetail);
    const http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    TestBed.tick();
    http
      .expectOne('/api/v1/repositories/9')
      .flush(
        { message: 'repository not found', code: 'REPOSITORY.NOT_FOUND' },
        { status: 404, statusText: 'Not Found' },
      );
    http.expectOne('/api/v1/repositories/9/tags/grouped').flush([]);
    await fixture.whenStable();
    expect(find(fixture.nativeElement, '[data-testid="repository-error"]').textContent).toContain(
      'repository not found',
    );
  });
});
