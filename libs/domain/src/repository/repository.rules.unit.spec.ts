import {
  diffCatalog,
  splitRepositoryName,
  summarizeManifest,
  summarizeReferences,
  isTaggableManifest,
} from './repository.rules';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('splitRepositoryName (namespace resolution)', () => {
  it.each([
    ['a/b', 'a', 'b'],
    ['a/b/c', 'a', 'b/c'],
    ['busybox', null, 'busybox'],
  ])('%s → namespace %s, name %s', (full, ns, name) =>
    expect(splitRepositoryName(full)).toEqual({ namespace: ns, name }),
  );
});

describe('manifest summaries', () => {
  const oci = 'application/vnd.oci.image.manifest.v1+json';
  const config = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    size: 475,
    digest: `sha256:${'e'.repeat(64)}`,
  };
  const layers = [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 33005, digest: D1 },
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 33014, digest: D2 },
  ];
  it('sizes an image as config + layers (Portus), from the body or the references', () => {
    const fromBody = summarizeManifest(D1, oci, { schemaVersion: 2, config, layers });
    expect(fromBody).toEqual({ digest: D1, mediaType: oci, size: 66494, platforms: null, imageId: 'e'.repeat(64) });
    expect(summarizeReferences(D1, oci, [config, ...layers])).toEqual(fromBody);
  });
  it('lists an index’s platforms and gives it no size', () => {
    const index = 'application/vnd.oci.image.index.v1+json';
    const body = {
      manifests: [
        { mediaType: oci, size: 559, digest: D1, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: oci, size: 560, digest: D2, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1, digest: D2 }, // attestation, no platform
      ],
    };
    expect(summarizeManifest(D1, index, body)).toEqual({
      digest: D1,
      mediaType: index,
      size: null,
      imageId: null,
      platforms: [
        { os: 'linux', architecture: 'amd64', variant: null, digest: D1 },
        { os: 'linux', architecture: 'arm', variant: 'v7', digest: D2 },
      ],
    });
    expect(summarizeReferences(D1, index, body.manifests)).toBeNull();
  });
  it('never reports a partial size', () => {
    expect(summarizeManifest(D1, oci, { config, layers: [{ digest: D2 }] }).size).toBeNull();
    expect(summarizeManifest(D1, oci, 'garbage').size).toBeNull();
  });
  it('knows which media types are images', () => {
    expect(isTaggableManifest('application/vnd.docker.distribution.manifest.v2+json')).toBe(true);
    expect(isTaggableManifest('application/vnd.docker.distribution.manifest.list.v2+json')).toBe(true);
    expect(isTaggableManifest('application/octet-stream')).toBe(false);
    expect(isTaggableManifest(undefined)).toBe(false);
  });
});

describe('diffCatalog', () => {
  const known = { 'ns/a': { v1: D1, old: D1 }, 'ns/gone': { v1: D1 } };
  const registry = { 'ns/a': { v1: D2, new: D1 }, 'ns/empty': {}, 'ns/b': { v1: D1 } };
  it('update-delete: discovers, moves, vanishes, and removes repositories missing from the catalog', () => {
    expect(diffCatalog(known, registry, 'update-delete')).toEqual([
      {
        fullName: 'ns/a',
        discovered: [
          { tag: 'new', digest: D1, previousDigest: null },
          { tag: 'v1', digest: D2, previousDigest: D1 },
        ],
        vanished: [{ tag: 'old', digest: D1 }],
      },
      { fullName: 'ns/b', discovered: [{ tag: 'v1', digest: D1, previousDigest: null }], vanished: [] },
      { fullName: 'ns/gone', discovered: [], vanished: [{ tag: 'v1', digest: D1 }] },
    ]);
  });
  it('update: never removes a repository missing from the catalog', () => {
    expect(diffCatalog(known, registry, 'update').map((d) => d.fullName)).toEqual(['ns/a', 'ns/b']);
  });
  it('is empty when both sides agree, and never creates a repository without tags', () => {
    expect(diffCatalog({ 'ns/a': { v1: D1 } }, { 'ns/a': { v1: D1 }, 'ns/empty': {} }, 'update-delete')).toEqual([]);
  });
});
