import { z } from 'zod';
import { description, entity, id, name, timestamp } from './common';

/** VisibilitySchema is private | protected | public. */
export const VisibilitySchema = z.enum(['private', 'protected', 'public']);

/** CreateNamespaceRequest is POST /api/v1/namespaces (`team` is a team name). */
export const CreateNamespaceRequest = z
  .object({ name: name(), team: name(), description: description().optional() })
  .strict();

/** UpdateNamespaceRequest is PUT /api/v1/namespaces/:id. */
export const UpdateNamespaceRequest = z
  .object({
    namespace: z
      .object({
        name: name().optional(),
        description: description().optional(),
        team: name().optional(),
        visibility: VisibilitySchema.optional(),
      })
      .strict(),
  })
  .strict();

/** Visibility says who may pull from a namespace. */
export type Visibility = z.infer<typeof VisibilitySchema>;

/** UpdateNamespaceChange is what PUT /api/v1/namespaces/:id changes (only the fields given). */
export type UpdateNamespaceChange = z.input<typeof UpdateNamespaceRequest>['namespace'];

/** CreateNamespaceBody is the body of POST /api/v1/namespaces. */
export type CreateNamespaceBody = z.input<typeof CreateNamespaceRequest>;

/** NamespaceEntity is Portus's API::Entities::Namespaces; the global namespace is named after the registry. */
export const NamespaceEntity = entity(
  'NamespaceEntity',
  'A namespace (Portus’s Namespaces entity)',
  z.strictObject({
    id: id(),
    name: z.string(),
    created_at: timestamp(),
    updated_at: timestamp(),
    description: z.string(),
    team: z.strictObject({ id: id(), name: z.string(), hidden: z.boolean() }).nullable(),
    visibility: VisibilitySchema,
    global: z.boolean(),
  }),
);
export type NamespaceEntity = z.infer<typeof NamespaceEntity>;
