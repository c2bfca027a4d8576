import { z } from 'zod';
import { entity } from './common';

/**
 * Problem is how every /api error answers: RFC 9457 application/problem+json plus Portus's `message` member
 * (Portus clients read it), a stable `code` and, for validation, the messages per field.
 */
export const Problem = entity(
  'Problem',
  'An error (RFC 9457 problem details with Portus’s message)',
  z.strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    message: z.string(),
    code: z.string().optional(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  }),
);
export type Problem = z.infer<typeof Problem>;
