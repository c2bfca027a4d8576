/**
 * Leadership for projector instances: one lease document per lease name in the read store, taken and renewed
 * with a compare-and-set (Collection.replaceIf). The decision is the pure decideLease below; LeaseKeeper
 * (projection-lease-keeper.ts) runs it on a timer. ADR 0009.
 *
 * Followers never compare their clock with a timestamp the holder wrote: they remember when they last saw the
 * lease change (owner, epoch, renewal count) on their own clock and take it only after it stood unchanged for
 * the lease length. Clock skew between machines therefore cannot hand the lease over early or late (the same
 * rule as Kubernetes' leader election). The epoch is the fencing token: it grows by one on every hand-over, and
 * checkpoint writes re-assert (owner, epoch) in the same batch.
 */

import type { Doc } from '@portcullis/persistence';

/** LEASES is the read-store collection of lease documents. */
export const LEASES = 'projector_leases';

/** MAX_LEASE_MS caps a lease length read from the store, so a corrupt or hostile document cannot block forever. */
export const MAX_LEASE_MS = 300_000;

/** LeaseDoc is a stored lease. */
export interface LeaseDoc extends Doc {
  /** _id is the lease name (one per group of projections that must have a single writer). */
  _id: string;
  /** owner identifies the holder process (host, pid and a random part: never reused). */
  owner: string;
  /** epoch is the fencing token, +1 on every change of holder. */
  epoch: number;
  /** renewals counts renewals within this epoch; followers watch it change. */
  renewals: number;
  /** leaseMs is how long the holder may go without renewing before followers may take over. */
  leaseMs: number;
  /** renewedAt is the holder's clock at the last renewal: for people reading the store, never for decisions. */
  renewedAt: string;
  /** released is set by a holder that stopped cleanly: followers may take the lease at once. */
  released?: boolean;
}

/** Observation is what a follower last saw of the lease and when, on its own clock. */
export interface Observation {
  owner: string;
  epoch: number;
  renewals: number;
  /** at is the follower's clock (ms) when it first saw this owner/epoch/renewals. */
  at: number;
}

/** LeaseInput is everything decideLease looks at. */
export interface LeaseInput {
  /** name is the lease name. */
  name: string;
  /** me is this process's owner id. */
  me: string;
  /** now is this process's clock (ms). */
  now: number;
  /** leaseMs is this process's configured lease length. */
  leaseMs: number;
  /** held is the epoch this process believes it holds, or null. */
  held: number | null;
  /** stored is the lease document as read, or null when there is none. */
  stored: LeaseDoc | null;
  /** observed is this process's last observation of the lease, or null. */
  observed: Observation | null;
}

/** LeaseDecision says what to do: write `write` expecting `expected` (acquire/renew), or only remember. */
export type LeaseDecision =
  | {
      action: 'acquire' | 'renew';
      write: LeaseDoc;
      /** expected is the filter the stored document must still match (null: there must be none). */
      expected: Pick<LeaseDoc, 'owner' | 'epoch' | 'renewals'> | null;
      observed: Observation | null;
    }
  | { action: 'follow'; reason: string; observed: Observation }
  | { action: 'lost'; reason: string; observed: Observation | null };

/** sanitizeLeaseMs is a stored lease length made safe: at least this process's own, at most MAX_LEASE_MS. */
export function sanitizeLeaseMs(stored: unknown, own: number): number {
  const value = typeof stored === 'number' && Number.isFinite(stored) ? stored : own;
  return Math.min(Math.max(value, own), Math.max(MAX_LEASE_MS, own));
}

/**
 * decideLease decides one round of the lease protocol for one process. Pure: time, the stored document and the
 * process's memory come in; what to write (with what the store must still hold) comes out.
 */
export function decideLease(input: LeaseInput): LeaseDecision {
  const { name, me, now, leaseMs, held, stored, observed } = input;
  const next = (epoch: number, renewals: number): LeaseDoc => ({
    _id: name,
    owner: me,
    epoch,
    renewals,
    leaseMs,
    renewedAt: new Date(now).toISOString(),
  });
  if (stored === null) {
    if (held !== null) return { action: 'lost', reason: 'the lease document is gone', observed: null };
    return { action: 'acquire', write: next(1, 0), expected: null, observed: null };
  }
  const expected = { owner: stored.owner, epoch: stored.epoch, renewals: stored.renewals };
  if (held !== null) {
    // Only the exact epoch this process took counts: the same owner name with another epoch is someone's
    // (or an earlier life's) term, and a paused holder must notice it lost rather than renew over it.
    if (stored.owner === me && stored.epoch === held) {
      return { action: 'renew', write: next(held, stored.renewals + 1), expected, observed: null };
    }
    return {
      action: 'lost',
      reason: `lease ${name} is now epoch ${stored.epoch} held by ${stored.owner}`,
      observed: { ...expected, at: now },
    };
  }
  if (stored.released === true) {
    const epoch = Number.isSafeInteger(stored.epoch) && stored.epoch >= 0 ? stored.epoch + 1 : 1;
    return { action: 'acquire', write: next(epoch, 0), expected, observed: null };
  }
  const unchanged =
    observed !== null &&
    observed.owner === stored.owner &&
    observed.epoch === stored.epoch &&
    observed.renewals === stored.renewals;
  if (!unchanged) {
    return { action: 'follow', reason: `${stored.owner} renewed`, observed: { ...expected, at: now } };
  }
  const waitMs = sanitizeLeaseMs(stored.leaseMs, leaseMs);
  if (now - observed.at < waitMs) {
    return { action: 'follow', reason: `${stored.owner} holds the lease`, observed };
  }
  const epoch = Number.isSafeInteger(stored.epoch) && stored.epoch >= 0 ? stored.epoch + 1 : 1;
  return { action: 'acquire', write: next(epoch, 0), expected, observed };
}
