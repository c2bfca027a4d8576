import { z } from 'zod';
import { entity, id, timestamp } from './common';

/** ActivityEntity is one audit-log entry as the API shows it. */
export const ActivityEntity = entity(
  'ActivityEntity',
  'One entry of the audit trail',
  z.strictObject({
    id: id(),
    key: z.string(),
    /** owner: who did it; id is null for registry users Portcullis does not know (the name is what the registry sent). */
    owner: z.strictObject({ id: id().nullable(), username: z.string() }).nullable(),
    trackable_type: z.string(),
    trackable_id: id(),
    recipient_type: z.string().nullable(),
    recipient_id: id().nullable(),
    /** namespace: a deleted namespace keeps the name the activity recorded (null if it recorded none). */
    namespace: z.strictObject({ id: id(), name: z.string().nullable() }).nullable(),
    team_id: id().nullable(),
    parameters: z.record(z.string(), z.unknown()),
    created_at: timestamp(),
  }),
);
export type ActivityEntity = z.infer<typeof ActivityEntity>;
