import { z } from 'zod';
import { PageQuery } from '@portcullis/contracts';

// An instant with a zone (`Z` or an offset) or a plain date (midnight UTC), normalised to the stored form.
const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00.000Z` : s).toISOString());

/**
 * ActivitiesQuery is the filter set of GET /api/v1/activities and /activities.csv. It is strict: a misspelt
 * filter would otherwise be ignored and the answer would look filtered when it is not.
 */
export const ActivitiesQuery = PageQuery.omit({ all: true, search: true })
  .extend({
    owner: z.string().trim().min(1).max(255).optional(),
    key: z
      .string()
      .max(100)
      .regex(/^[a-z_]+(\.[a-z_]*)?$/, 'must be an activity key or a prefix such as repository.push or team.')
      .optional(),
    namespace_id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    path: ['to'],
    message: 'must be after from',
  });

/** ActivitiesQuery is the parsed filter set. */
export type ActivitiesQuery = z.infer<typeof ActivitiesQuery>;
