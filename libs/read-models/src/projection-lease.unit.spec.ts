import { decideLease, MAX_LEASE_MS, sanitizeLeaseMs, type LeaseDoc, type LeaseInput } from './projection-lease';

const doc = (over: Partial<LeaseDoc> = {}): LeaseDoc => ({
  _id: 'projections',
  owner: 'other',
  epoch: 4,
  renewals: 7,
  leaseMs: 5_000,
  renewedAt: '2030-01-01T00:00:00.000Z',
  ...over,
});
const seen = (at: number, over: Partial<LeaseDoc> = {}) => {
  const d = doc(over);
  return { owner: d.owner, epoch: d.epoch, renewals: d.renewals, at };
};
const base: LeaseInput = {
  name: 'projections',
  me: 'me',
  now: 100_000,
  leaseMs: 5_000,
  held: null,
  stored: null,
  observed: null,
};

// [title, input overrides, expected action, expected epoch written (or null), expected `expected` filter epoch]
const rows: Array<[string, Partial<LeaseInput>, string, number | null, number | null]> = [
  ['no lease yet: take epoch 1, expecting none', {}, 'acquire', 1, null],
  ['mine, fresh: renew in the same epoch', { held: 4, stored: doc({ owner: 'me' }) }, 'renew', 4, 4],
  [
    'mine but long past its expiry and nobody took it: still renew, same epoch',
    { held: 4, stored: doc({ owner: 'me' }), now: 10_000_000 },
    'renew',
    4,
    4,
  ],
  ['held by another, first look: follow and start watching', { stored: doc() }, 'follow', null, null],
  [
    'held by another, unchanged for less than the lease: follow',
    { stored: doc(), observed: seen(96_000) },
    'follow',
    null,
    null,
  ],
  [
    'held by another, unchanged for the whole lease: take epoch+1, expecting exactly what was seen',
    { stored: doc(), observed: seen(95_000) },
    'acquire',
    5,
    4,
  ],
  [
    'another renewed since the last look (renewal count moved): follow, the wait starts again',
    { stored: doc({ renewals: 8 }), observed: seen(0) },
    'follow',
    null,
    null,
  ],
  [
    'clock skew: the holder wrote a renewedAt an hour in the past, but it keeps renewing: follow',
    { stored: doc({ renewals: 9, renewedAt: '2029-12-31T23:00:00.000Z' }), observed: seen(0, { renewals: 8 }) },
    'follow',
    null,
    null,
  ],
  [
    'clock skew: the holder wrote a renewedAt a year ahead, but stopped renewing: take over after the lease',
    { stored: doc({ renewedAt: '2031-01-01T00:00:00.000Z' }), observed: seen(94_000) },
    'acquire',
    5,
    4,
  ],
  [
    'own clock went backwards since the observation: follow, never take early',
    { stored: doc(), observed: seen(200_000) },
    'follow',
    null,
    null,
  ],
  [
    'expired but the stored owner is my name with an epoch I do not hold (an earlier life): wait like anyone',
    { stored: doc({ owner: 'me' }) },
    'follow',
    null,
    null,
  ],
  [
    'released by a holder that stopped cleanly: take epoch+1 at once',
    { stored: doc({ released: true }) },
    'acquire',
    5,
    4,
  ],
  [
    'hostile: a "released" that is not the boolean true is not a release',
    { stored: doc({ released: 'yes' as never }) },
    'follow',
    null,
    null,
  ],
  [
    'released, but I still hold it in memory with another epoch: lost, not a silent re-take',
    { held: 3, stored: doc({ owner: 'me', released: true }) },
    'lost',
    null,
    null,
  ],
  [
    'stale epoch: I hold 3 but the store says epoch 4 (taken over while I was paused): lost',
    { held: 3, stored: doc({ owner: 'me' }) },
    'lost',
    null,
    null,
  ],
  ['stale epoch: I hold 4 but another owns epoch 5: lost', { held: 4, stored: doc({ epoch: 5 }) }, 'lost', null, null],
  [
    'hostile: store shows an epoch above mine with my name: lost, never renew over it',
    { held: 4, stored: doc({ owner: 'me', epoch: 40 }) },
    'lost',
    null,
    null,
  ],
  ['held but the document vanished: lost, do not recreate silently', { held: 4 }, 'lost', null, null],
  [
    'hostile: stored lease length of a year is capped, so the lease is taken after MAX_LEASE_MS',
    { stored: doc({ leaseMs: 31_536_000_000 }), now: 100_000 + MAX_LEASE_MS, observed: seen(100_000) },
    'acquire',
    5,
    4,
  ],
  [
    'hostile: stored lease length 0 does not shorten my own wait',
    { stored: doc({ leaseMs: 0 }), observed: seen(99_000) },
    'follow',
    null,
    null,
  ],
  [
    'hostile: a corrupt (null) epoch restarts the count at 1 once the lease is unchanged for its length',
    { stored: doc({ epoch: null as never }), observed: seen(0, { epoch: null as never }) },
    'acquire',
    1,
    null,
  ],
];

describe('decideLease', () => {
  it.each(rows)('%s', (_title, over, action, epoch, expectedEpoch) => {
    const decision = decideLease({ ...base, ...over });
    expect(decision.action).toBe(action);
    if (decision.action === 'acquire' || decision.action === 'renew') {
      expect(decision.write.epoch).toBe(epoch);
      expect(decision.write.owner).toBe('me');
      expect(decision.write.leaseMs).toBe(base.leaseMs);
      expect(decision.expected?.epoch ?? null).toBe(expectedEpoch);
    }
  });

  it('counts renewals so that followers can see the holder alive without reading its clock', () => {
    const d = decideLease({ ...base, held: 4, stored: doc({ owner: 'me', renewals: 7 }) });
    expect(d.action === 'renew' && d.write.renewals).toBe(8);
    expect(d.action === 'renew' && d.expected).toEqual({ owner: 'me', epoch: 4, renewals: 7 });
  });

  it('resets the renewal count in a new epoch', () => {
    const d = decideLease({ ...base, stored: doc(), observed: seen(0) });
    expect(d.action === 'acquire' && d.write.renewals).toBe(0);
  });
});

describe('sanitizeLeaseMs', () => {
  it.each([
    [5_000, 2_000, 5_000],
    [1_000, 2_000, 2_000],
    [Number.POSITIVE_INFINITY, 2_000, 2_000],
    ['5000', 2_000, 2_000],
    [10 ** 12, 2_000, MAX_LEASE_MS],
  ])('stored %p with my %p → %p', (stored, own, want) => {
    expect(sanitizeLeaseMs(stored, own)).toBe(want);
  });
});
