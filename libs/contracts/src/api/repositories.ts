import { z } from 'zod';
import { description } from './common';

/** UpdateRepositoryRequest is PUT /api/v1/repositories/:id [Portus 2.5]: only the description changes. */
export const UpdateRepositoryRequest = z
  .object({ repository: z.object({ description: description() }).strict() })
  .strict();
export type UpdateRepositoryRequest = z.infer<typeof UpdateRepositoryRequest>;
