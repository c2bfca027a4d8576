import type { ManifestFacts, Platform } from './repository.events';

// Media types are repeated here rather than imported: libs/domain imports nothing but util.
const IMAGE_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
];
const INDEX_TYPES = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
];

/** isTaggableManifest: the manifest types Portcullis records as images (Docker v2, OCI, and their lists). */
export const isTaggableManifest = (mediaType: string | undefined): boolean =>
  mediaType !== undefined && (IMAGE_TYPES.includes(mediaType) || INDEX_TYPES.includes(mediaType));

/** isIndexManifest: a multi-platform list (Docker manifest list, OCI index). */
export const isIndexManifest = (mediaType: string): boolean => INDEX_TYPES.includes(mediaType);

/**
 * splitRepositoryName resolves a registry repository name the way Portus does: the first path component
 * is the namespace (`a/b` → a + b, `a/b/c` → a + b/c); a name without a slash lives in the global namespace.
 */
export function splitRepositoryName(fullName: string): { namespace: string | null; name: string } {
  const slash = fullName.indexOf('/');
  return slash < 0
    ? { namespace: null, name: fullName }
    : { namespace: fullName.slice(0, slash), name: fullName.slice(slash + 1) };
}

interface DescriptorLike {
  readonly mediaType?: unknown;
  readonly size?: unknown;
  readonly digest?: unknown;
  readonly platform?: unknown;
}

const sizeOf = (d: DescriptorLike | undefined): number | null =>
  d !== undefined && typeof d.size === 'number' && Number.isSafeInteger(d.size) && d.size >= 0 ? d.size : null;

/** sumSizes adds descriptor sizes; null when any is missing (a partial sum would look like a real size). */
export function sumSizes(descriptors: readonly DescriptorLike[]): number | null {
  let total = 0;
  for (const d of descriptors) {
    const size = sizeOf(d);
    if (size === null) return null;
    total += size;
  }
  return total;
}

const digestOf = (d: DescriptorLike | undefined): string | null =>
  d !== undefined && typeof d.digest === 'string' ? d.digest : null;

function platformOf(d: DescriptorLike): Platform | null {
  const p = d.platform as Record<string, unknown> | undefined;
  const digest = digestOf(d);
  if (typeof p !== 'object' || p === null || digest === null) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    os: str(p['os']) ?? 'unknown',
    architecture: str(p['architecture']) ?? 'unknown',
    variant: str(p['variant']),
    digest,
  };
}

/**
 * summarizeManifest reads size, platforms and image id from a parsed manifest body (Portus: size = config +
 * layers). An index gets its platforms and a null size: summing every platform's images would report a
 * download no client ever makes, and per-platform sizes need one fetch per child (docs/decisions/0004).
 */
export function summarizeManifest(digest: string, mediaType: string, body: unknown): ManifestFacts {
  const m = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (isIndexManifest(mediaType)) {
    const manifests = Array.isArray(m['manifests']) ? (m['manifests'] as DescriptorLike[]) : [];
    const platforms = manifests.map(platformOf).filter((p): p is Platform => p !== null);
    return { digest, mediaType, size: null, platforms, imageId: null };
  }
  const config = (typeof m['config'] === 'object' ? m['config'] : undefined) as DescriptorLike | undefined;
  const layers = Array.isArray(m['layers']) ? (m['layers'] as DescriptorLike[]) : [];
  return {
    digest,
    mediaType,
    size: config ? sumSizes([config, ...layers]) : null,
    platforms: null,
    imageId: imageIdOf(digestOf(config)),
  };
}

/**
 * summarizeReferences does the same from a notification's `references` (sent with includereferences: true):
 * for an image they are its config and layers, so no fetch is needed. Returns null for indexes (their
 * references carry no platforms) and when there are none.
 */
export function summarizeReferences(
  digest: string,
  mediaType: string,
  references: readonly DescriptorLike[] | undefined,
): ManifestFacts | null {
  if (isIndexManifest(mediaType) || references === undefined || references.length === 0) return null;
  const config = references.find((r) => typeof r.mediaType === 'string' && /config/.test(r.mediaType));
  return { digest, mediaType, size: sumSizes(references), platforms: null, imageId: imageIdOf(digestOf(config)) };
}

const imageIdOf = (configDigest: string | null): string | null =>
  configDigest === null ? null : configDigest.replace(/^sha256:/, '');

/** TagsByRepository maps a repository's full name to its tags and their digests. */
export type TagsByRepository = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** SyncStrategy is Portus's background.sync.strategy; initial/on-start decide *when*, then run update-delete. */
export type SyncStrategy = 'initial' | 'on-start' | 'update' | 'update-delete';

/** CatalogDifference is what one repository needs to match the registry. */
export interface CatalogDifference {
  readonly fullName: string;
  /** discovered: tags the registry has that Portcullis lacks, or whose digest changed. */
  readonly discovered: ReadonlyArray<{ tag: string; digest: string; previousDigest: string | null }>;
  /** vanished: tags Portcullis has that the registry no longer has. */
  readonly vanished: ReadonlyArray<{ tag: string; digest: string }>;
}

/**
 * diffCatalog compares the read model with the registry (catalog + tags/list + manifest digests), as
 * Portus's sync does: registry repositories without tags are never created; tags missing from a listed
 * repository vanish; repositories missing from the catalog vanish only under `update-delete` (`update`
 * never deletes a repository, so a slow or partial catalog cannot wipe the read model; Portus #1664).
 */
export function diffCatalog(
  known: TagsByRepository,
  registry: TagsByRepository,
  strategy: Exclude<SyncStrategy, 'initial' | 'on-start'>,
): CatalogDifference[] {
  const out: CatalogDifference[] = [];
  const names = [...new Set([...Object.keys(known), ...Object.keys(registry)])].sort();
  for (const fullName of names) {
    const have = known[fullName] ?? {};
    const there = registry[fullName];
    if (there === undefined && strategy === 'update') continue;
    const actual = there ?? {};
    const discovered = Object.keys(actual)
      .sort()
      .filter((tag) => have[tag] !== actual[tag])
      .map((tag) => ({ tag, digest: actual[tag], previousDigest: have[tag] ?? null }));
    const vanished = Object.keys(have)
      .sort()
      .filter((tag) => actual[tag] === undefined)
      .map((tag) => ({ tag, digest: have[tag] }));
    if (discovered.length || vanished.length) out.push({ fullName, discovered, vanished });
  }
  return out;
}
