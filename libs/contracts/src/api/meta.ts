import { z } from 'zod';
import { entity } from './common';

/** SetupState tells the UI which first-run screens to show and whether to offer LDAP sign-in. */
export const SetupState = entity(
  'SetupState',
  'First-run state: whether users and a registry exist (never what they are); anonymous browsing; LDAP',
  z.strictObject({ users: z.boolean(), registry: z.boolean(), anonymous_browsing: z.boolean(), ldap: z.boolean() }),
);
export type SetupState = z.infer<typeof SetupState>;

/** VersionEntity is GET /api/version. */
export const VersionEntity = entity(
  'VersionEntity',
  'API versions and the build',
  z.strictObject({
    'api-versions': z.array(z.string()),
    git: z.strictObject({ commit: z.string() }).nullable(),
    version: z.string(),
  }),
);
export type VersionEntity = z.infer<typeof VersionEntity>;

/** HealthEntity is GET /api/v1/health: one check per component (database, read_models, projector, bus, ldap). */
export const HealthEntity = entity(
  'HealthEntity',
  'Health per component (database, read_models, projector; bus and ldap when configured)',
  z.record(
    z.string(),
    z.strictObject({ msg: z.string(), success: z.boolean(), status: z.enum(['up', 'reconnecting', 'down']) }),
  ),
);
export type HealthEntity = z.infer<typeof HealthEntity>;

/** LivenessEntity is GET /api/v1/health/live. */
export const LivenessEntity = entity(
  'LivenessEntity',
  'The process answers',
  z.strictObject({ status: z.literal('live') }),
);
export type LivenessEntity = z.infer<typeof LivenessEntity>;

/** ReadinessEntity is GET /api/v1/health/ready (200 ready, 503 otherwise). */
export const ReadinessEntity = entity(
  'ReadinessEntity',
  'Whether to send traffic here, with each condition',
  z.strictObject({
    status: z.enum(['ready', 'not_ready', 'draining']),
    checks: z.record(z.string(), z.strictObject({ ok: z.boolean(), msg: z.string() })),
  }),
);
export type ReadinessEntity = z.infer<typeof ReadinessEntity>;
