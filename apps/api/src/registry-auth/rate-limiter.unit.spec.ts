import { SlidingWindowLimiter } from './rate-limiter';

const W = 60_000;
/** T0 starts a window, so the rows read in offsets from it. */
const T0 = 1_000 * W;

/**
 * A step asks `times` times for `key` at `at` (ms after T0) and expects every answer to be `expect`:
 * a number is the `remaining` of the last one let through, 'refused' with `retryAfter` the 429's seconds.
 */
interface Step {
  readonly at: number;
  readonly key: string;
  readonly times?: number;
  readonly expect: number | 'refused';
  readonly retryAfter?: number;
}

type Row = [string, { limit: number; maxKeys?: number }, Step[]];

const many = (prefix: string, n: number, at: number, expect: number | 'refused'): Step[] =>
  Array.from({ length: n }, (_, i) => ({ at, key: `${prefix}${i}`, expect }));

describe('SlidingWindowLimiter', () => {
  it.each<Row>([
    [
      'lets the limit through, then refuses until the window has moved on',
      { limit: 3 },
      [
        { at: 0, key: 'a', expect: 2 },
        { at: 0, key: 'a', expect: 1 },
        { at: 0, key: 'a', expect: 0 },
        // The next window starts at 60 s and, carrying all three, lets the first through 1 ms later.
        { at: 0, key: 'a', expect: 'refused', retryAfter: 61 },
        { at: W - 1, key: 'a', expect: 'refused', retryAfter: 1 },
        { at: W, key: 'a', expect: 'refused', retryAfter: 1 },
        { at: W + 1, key: 'a', expect: 0 },
      ],
    ],
    [
      'a burst mid-window waits for the next one, whose weight frees one more at a time',
      { limit: 3 },
      [
        { at: 30_000, key: 'a', times: 3, expect: 0 },
        { at: 30_000, key: 'a', expect: 'refused', retryAfter: 31 },
        { at: W + 1, key: 'a', expect: 0 },
        { at: W + 1, key: 'a', expect: 'refused', retryAfter: 20 },
        // 3 · (60 − 20.001) / 60 < 2: the second is let through after a third of the window.
        { at: W + 20_001, key: 'a', expect: 0 },
      ],
    ],
    [
      'each client has its own budget',
      { limit: 2 },
      [
        { at: 0, key: 'a', times: 2, expect: 0 },
        { at: 0, key: 'a', expect: 'refused', retryAfter: 61 },
        { at: 0, key: 'b', expect: 1 },
        { at: 1, key: 'c', times: 2, expect: 0 },
        { at: 2, key: 'b', expect: 0 },
        { at: 2, key: 'b', expect: 'refused' },
      ],
    ],
    [
      'no boundary burst: a full window just before the turn still counts just after it',
      { limit: 4 },
      [
        { at: W - 1_000, key: 'a', times: 4, expect: 0 },
        { at: W, key: 'a', expect: 'refused', retryAfter: 1 },
        // A quarter into the new window three quarters of the old one still weigh: floor(4 · 0.75) = 3.
        { at: W + 15_000, key: 'a', expect: 0 },
        { at: W + 15_000, key: 'a', expect: 'refused', retryAfter: 1 },
        { at: W + 15_001, key: 'a', expect: 0 },
        // Half-way, floor(4 · 0.5) = 2 plus the two taken: full until the next millisecond.
        { at: W + 30_000, key: 'a', expect: 'refused', retryAfter: 1 },
        { at: W + 30_001, key: 'a', expect: 0 },
        { at: W + 30_001, key: 'a', expect: 'refused', retryAfter: 15 },
      ],
    ],
    [
      'hostile: asking on while refused is not counted and does not extend the wait',
      { limit: 3 },
      [
        { at: 0, key: 'a', times: 3, expect: 0 },
        { at: 1_000, key: 'a', times: 500, expect: 'refused', retryAfter: 60 },
        { at: 59_000, key: 'a', times: 500, expect: 'refused', retryAfter: 2 },
        { at: W + 1, key: 'a', expect: 0 },
      ],
    ],
    [
      'a window with no requests forgets everything before it',
      { limit: 3 },
      [
        { at: 0, key: 'a', times: 3, expect: 0 },
        { at: 2 * W, key: 'a', times: 3, expect: 0 },
      ],
    ],
    [
      'hostile: a clock that goes back does not hand out a new budget',
      { limit: 3 },
      [
        { at: 30_000, key: 'a', times: 3, expect: 0 },
        { at: -5 * W, key: 'a', expect: 'refused' },
        { at: 0, key: 'a', expect: 'refused' },
        { at: W + 1, key: 'a', expect: 0 },
      ],
    ],
    [
      'hostile: many clients each get their budget; past maxKeys new ones share one (never unlimited)',
      { limit: 2, maxKeys: 1_000 },
      [
        ...many('client-', 1_000, 0, 1),
        { at: 1, key: 'client-0', expect: 0 },
        { at: 1, key: 'client-0', expect: 'refused' },
        // The table is full: every new key counts against one overflow budget.
        { at: 2, key: 'new-0', expect: 1 },
        { at: 2, key: 'new-1', expect: 0 },
        ...many('new-', 100, 3, 'refused'),
        // Known clients keep their own.
        { at: 4, key: 'client-999', expect: 0 },
        // Next window: the table is the previous one; new clients get their own budget again.
        { at: W + 1, key: 'new-2', expect: 1 },
      ],
    ],
    [
      'a limit of one',
      { limit: 1 },
      [
        { at: 0, key: 'a', expect: 0 },
        { at: 0, key: 'a', expect: 'refused', retryAfter: 61 },
        { at: W + 1, key: 'a', expect: 0 },
      ],
    ],
  ])('%s', (_name, options, steps) => {
    let now = T0;
    const limiter = new SlidingWindowLimiter({ ...options, windowMs: W, now: () => now });
    steps.forEach((step, i) => {
      now = T0 + step.at;
      for (let n = 0; n < (step.times ?? 1); n++) {
        const d = limiter.hit(step.key);
        const where = `step ${i} (${step.key} at ${step.at}, #${n + 1})`;
        if (step.expect === 'refused') {
          expect({ where, allowed: d.allowed, remaining: d.remaining }).toEqual({
            where,
            allowed: false,
            remaining: 0,
          });
          if (step.retryAfter !== undefined)
            expect({ where, retryAfter: d.retryAfterSeconds }).toEqual({ where, retryAfter: step.retryAfter });
          expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        } else {
          expect({ where, allowed: d.allowed, retryAfter: d.retryAfterSeconds }).toEqual({
            where,
            allowed: true,
            retryAfter: 0,
          });
          if (n === (step.times ?? 1) - 1)
            expect({ where, remaining: d.remaining }).toEqual({ where, remaining: step.expect });
        }
        expect(d.resetSeconds).toBe(Math.ceil((W - (now % W)) / 1000));
      }
    });
    // Two windows of keys at most, plus the one overflow key each.
    expect(limiter.size).toBeLessThanOrEqual(2 * ((options.maxKeys ?? 65_536) + 1));
  });

  it('Retry-After is the wait: a second sooner is still refused, then it lets one through', () => {
    let now = T0;
    const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: W, now: () => now });
    let refusals = 0;
    while (now < T0 + 4 * W) {
      const d = limiter.hit('a');
      if (d.allowed) {
        now += 4_321;
        continue;
      }
      refusals += 1;
      const at = now;
      now = at + d.retryAfterSeconds * 1000 - 1000;
      expect(limiter.hit('a').allowed).toBe(false);
      now = at + d.retryAfterSeconds * 1000;
      expect(limiter.hit('a').allowed).toBe(true);
    }
    expect(refusals).toBeGreaterThan(5);
  });

  it.each([
    ['a limit of 0', 0],
    ['a negative limit', -1],
    ['no limit', Number.NaN],
  ])('refuses to be built with %s (0 = off is decided by its caller)', (_name, limit) => {
    expect(() => new SlidingWindowLimiter({ limit, windowMs: W, now: () => 0 })).toThrow(/limit/);
  });
});
