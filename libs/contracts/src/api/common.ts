import { z } from 'zod';

/** NAME_MAX bounds every name field; longer input is refused before it reaches the domain. */
export const NAME_MAX = 255;
/** DESCRIPTION_MAX bounds markdown descriptions (64 KiB). */
export const DESCRIPTION_MAX = 65536;

/** name is a trimmed, non-empty, bounded string with no control characters. */
export const name = () =>
  z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(NAME_MAX, `is too long (max ${NAME_MAX})`)
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');

/** description is optional markdown, bounded. */
export const description = () => z.string().max(DESCRIPTION_MAX, `is too long (max ${DESCRIPTION_MAX})`);

/** boolish accepts JSON booleans and the strings Portus's form params send. */
export const boolish = () => z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** PageQuery is Portus's list paging: page, per_page, sort_attr, sort_order, all. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  per_page: z.coerce.number().int().min(1).max(1000).optional(),
  sort_attr: z
    .string()
    .max(64)
    .regex(/^[a-z_]+$/, 'must be a field name')
    .optional(),
  sort_order: z.string().max(8).optional(),
  all: boolish().optional(),
  search: z.string().max(NAME_MAX).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/**
 * entities is the registry of the API's response entities: every schema in it becomes a named schema of the
 * OpenAPI document (`#/components/schemas/<id>`), and its type is what the api returns and the web reads.
 */
export const entities = z.registry<{ id: string; description?: string }>();

/** entity names a response schema and registers it in `entities`. */
export function entity<T extends z.ZodType>(id: string, description: string, schema: T): T {
  entities.add(schema, { id, description });
  return schema;
}

/** id is a numeric id (Portus's API uses them; they come from `sequence-<kind>` streams). */
export const id = () => z.number().int().nonnegative();

/** timestamp is an RFC 3339 date-time, as every `*_at` field answers it. */
export const timestamp = () => z.iso.datetime({ offset: true });

/** FieldValidation is the answer of the `validate` endpoints: problems per field, `valid` when there are none. */
export const FieldValidation = entity(
  'FieldValidation',
  'Problems per field (empty when valid)',
  z.strictObject({ valid: z.boolean(), messages: z.record(z.string(), z.array(z.string())) }),
);
export type FieldValidation = z.infer<typeof FieldValidation>;
