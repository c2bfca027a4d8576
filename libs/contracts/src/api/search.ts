import { z } from 'zod';
import { entity, id } from './common';

/** SearchType is what GET /api/v1/search can look for. */
export const SearchType = z.enum(['repositories', 'namespaces', 'teams']);
export type SearchType = z.infer<typeof SearchType>;

/**
 * SearchHit is one result: full_name is `namespace/repository` for repositories, else the name. Repository hits
 * also carry registry_hostname (the registry's external hostname, else its hostname) for pull commands.
 */
export const SearchHit = entity(
  'SearchHit',
  'One search result the caller may see',
  z.strictObject({
    type: SearchType,
    id: id(),
    name: z.string(),
    full_name: z.string(),
    description: z.string(),
    registry_hostname: z.string().optional(),
  }),
);
export type SearchHit = z.infer<typeof SearchHit>;
