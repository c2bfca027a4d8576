import { z } from 'zod';
import { description, name } from './common';

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

/** NamespaceEntity is Portus's API::Entities::Namespaces. */
export interface NamespaceEntity {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  description: string;
  team: { id: number; name: string; hidden: boolean } | null;
  visibility: 'private' | 'protected' | 'public';
  global: boolean;
}
