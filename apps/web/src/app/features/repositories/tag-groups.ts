import { platformLabel } from './human-size';
import type { TagEntity } from '@portcullis/contracts';

/** TagGroup is one image (digest) with every tag that points at it, as a row of the tag table. */
export interface TagGroup {
  digest: string;
  tags: TagEntity[];
  size: number | null;
  mediaType: string;
  /** kind is a short, readable name of the manifest's media type. */
  kind: string;
  platforms: string[];
  pushedBy: string;
  pushedAt: string;
  lastPulled: string | null;
}

const KINDS: Record<string, string> = {
  'application/vnd.docker.distribution.manifest.v2+json': 'Docker image',
  'application/vnd.docker.distribution.manifest.v1+json': 'Docker image (schema 1)',
  'application/vnd.docker.distribution.manifest.v1+prettyjws': 'Docker image (schema 1)',
  'application/vnd.docker.distribution.manifest.list.v2+json': 'Docker manifest list',
  'application/vnd.oci.image.manifest.v1+json': 'OCI image',
  'application/vnd.oci.image.index.v1+json': 'OCI image index',
};

/** toTagGroup summarises one digest group: the newest push names who pushed and when. */
export function toTagGroup(tags: TagEntity[]): TagGroup {
  const newest = tags.reduce((m, t) => (t.pushed_at > m.pushed_at ? t : m), tags[0]);
  const pulled = tags.map((t) => t.pulled_at).filter((p): p is string => !!p);
  return {
    digest: newest.digest,
    tags: [...tags].sort((a, b) => a.name.localeCompare(b.name)),
    size: newest.size,
    mediaType: newest.media_type,
    kind: KINDS[newest.media_type] ?? newest.media_type,
    platforms: (newest.platforms ?? []).map(platformLabel),
    pushedBy: newest.author?.name || 'unknown',
    pushedAt: newest.pushed_at,
    lastPulled: pulled.length ? pulled.reduce((m, p) => (p > m ? p : m)) : null,
  };
}
