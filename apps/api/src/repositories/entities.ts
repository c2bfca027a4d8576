import type { PlatformEntity, RepositoryEntity, TagEntity } from '@portcullis/contracts';
import type { Doc } from '@portcullis/persistence';

type D = Doc & Record<string, unknown>;

/** RepositoryStars is a repository's star count and whether the caller starred it. */
export interface RepositoryStars {
  count: number;
  starred: boolean;
}

/** registryHostname is the registry's external hostname if set, else its hostname ('' for an unknown registry). */
export function registryHostname(registry: D | null): string {
  if (!registry) return '';
  return (registry['external_hostname'] as string | null) || (registry['hostname'] as string) || '';
}

/** toRepositoryEntity renders a repository with its namespace, registry host, tag count, rights and stars. */
export function toRepositoryEntity(
  r: D,
  ns: D | null,
  registry: D | null,
  tagsCount: number,
  destroyable: boolean,
  stars: RepositoryStars = { count: 0, starred: false },
): RepositoryEntity {
  return {
    id: r['id'] as number,
    name: r['name'] as string,
    full_name: r['full_name'] as string,
    namespace: {
      id: (r['namespace_id'] as number | null) ?? null,
      name: ns ? (ns['name'] as string) : ((r['namespace_name'] as string | null) ?? null),
    },
    registry_id: r['registry_id'] as number,
    registry_hostname: registryHostname(registry),
    stars: stars.count,
    starred: stars.starred,
    tags_count: tagsCount,
    description: (r['description'] as string) ?? '',
    created_at: r['created_at'] as string,
    updated_at: r['updated_at'] as string,
    destroyable,
  };
}

/** toTagEntity renders Portus's Tags entity plus media type, platforms and the last pull. */
export function toTagEntity(t: D): TagEntity {
  return {
    id: t['id'] as number,
    name: t['name'] as string,
    repository_id: t['repository_id'] as number,
    author: t['author'] as TagEntity['author'],
    digest: t['digest'] as string,
    image_id: (t['image_id'] as string | null) ?? '',
    media_type: t['media_type'] as string,
    size: (t['size'] as number | null) ?? null,
    platforms: (t['platforms'] as PlatformEntity[] | null) ?? null,
    scanned: 0,
    pushed_at: t['pushed_at'] as string,
    pulled_at: (t['pulled_at'] as string | null) ?? null,
    created_at: t['created_at'] as string,
    updated_at: t['updated_at'] as string,
  };
}
