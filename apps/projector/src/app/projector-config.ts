import { resolve } from 'node:path';

/** ProjectorConfig is what the projector reads from the environment. */
export interface ProjectorConfig {
  /** dataDir holds the embedded SQLite files (PORTCULLIS_DATA_DIR, default ./data). */
  readonly dataDir: string;
  /** eventStoreUrl selects EventStoreDB (PORTCULLIS_EVENTSTORE_URL); absent → SQLite in dataDir. */
  readonly eventStoreUrl?: string;
  /** mongodbUrl selects MongoDB (PORTCULLIS_MONGODB_URL); absent → SQLite in dataDir. */
  readonly mongodbUrl?: string;
  /** natsUrl turns on publishing to NATS JetStream for webhook dispatchers (PORTCULLIS_NATS_URL). */
  readonly natsUrl?: string;
  /** natsStream is the JetStream stream (PORTCULLIS_WEBHOOKS_NATS_STREAM, default PORTCULLIS_EVENTS). */
  readonly natsStream: string;
  /** leaseMs is how long the leader may go without renewing before another instance takes over (PORTCULLIS_PROJECTOR_LEASE_MS, default 5000). */
  readonly leaseMs: number;
  /** leaseRenewMs is how often the lease is renewed or watched (PORTCULLIS_PROJECTOR_LEASE_RENEW_MS, default 1000). */
  readonly leaseRenewMs: number;
}

/** PROJECTOR_CONFIG is the Nest DI token for ProjectorConfig. */
export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');

/** projectorConfigFrom reads ProjectorConfig from an environment; blank values count as absent. */
export function projectorConfigFrom(env: NodeJS.ProcessEnv): ProjectorConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  return {
    dataDir: resolve(value('PORTCULLIS_DATA_DIR') ?? './data'),
    eventStoreUrl: value('PORTCULLIS_EVENTSTORE_URL'),
    mongodbUrl: value('PORTCULLIS_MONGODB_URL'),
    natsUrl: value('PORTCULLIS_NATS_URL'),
    natsStream: value('PORTCULLIS_WEBHOOKS_NATS_STREAM') ?? 'PORTCULLIS_EVENTS',
    ...leaseTimes(
      integer(value, 'PORTCULLIS_PROJECTOR_LEASE_MS', 5_000, 200, 300_000),
      integer(value, 'PORTCULLIS_PROJECTOR_LEASE_RENEW_MS', 1_000, 50, 60_000),
    ),
  };
}

function integer(
  value: (name: string) => string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = value(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new Error(`Invalid configuration: ${name} must be an integer between ${min} and ${max}, got "${text}"`);
  }
  return n;
}

/** leaseTimes checks that renewals come often enough to keep the lease (at least two per lease length). */
function leaseTimes(leaseMs: number, leaseRenewMs: number): { leaseMs: number; leaseRenewMs: number } {
  if (leaseRenewMs * 2 > leaseMs) {
    throw new Error(
      `Invalid configuration: PORTCULLIS_PROJECTOR_LEASE_RENEW_MS (${leaseRenewMs}) must be at most half of PORTCULLIS_PROJECTOR_LEASE_MS (${leaseMs})`,
    );
  }
  return { leaseMs, leaseRenewMs };
}
