/** RateDecision is one request's fate under a limit, with what the rate-limit headers say about it. */
export interface RateDecision {
  readonly allowed: boolean;
  /** remaining: requests the key may still make now (0 when refused). */
  readonly remaining: number;
  /** resetSeconds: until the current window ends (whole seconds, rounded up). */
  readonly resetSeconds: number;
  /** retryAfterSeconds: when refused, until a request of this key would be let through (≥ 1); else 0. */
  readonly retryAfterSeconds: number;
}

/** SlidingWindowLimiterOptions: `limit` requests per `windowMs` per key; `now` in ms (injected: tests move it). */
export interface SlidingWindowLimiterOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly now: () => number;
  /** maxKeys bounds the keys tracked per window; keys beyond it share one budget (see OVERFLOW). */
  readonly maxKeys?: number;
}

/** MAX_KEYS: distinct clients tracked per window (two windows are kept: a few MB at most). */
const MAX_KEYS = 65_536;

/**
 * OVERFLOW is the one key every client beyond `maxKeys` in a window is counted under: memory stays bounded and
 * a flood of new keys (spoofed or many addresses) never makes a client unlimited; known clients keep theirs.
 */
const OVERFLOW = '\u0000overflow';

/**
 * SlidingWindowLimiter counts requests per key in a sliding window, approximated from two fixed windows (the
 * current one and the one before, weighted by how much of it still overlaps the last `windowMs`): O(1) per
 * request, two numbers per key, no timers. Windows are aligned for all keys, so starting a new one is swapping
 * two maps; what is older than the previous window is dropped whole. A refused request is not counted, so a
 * client that keeps asking is let through again as its earlier requests age out, not kept out for good.
 */
export class SlidingWindowLimiter {
  readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;
  /** window: the index (now / windowMs) of the current window. */
  private window = Number.NEGATIVE_INFINITY;
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(options: SlidingWindowLimiterOptions) {
    if (!(options.limit > 0) || !(options.windowMs > 0)) throw new Error('a rate limit needs a limit and a window');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.now = options.now;
    this.maxKeys = options.maxKeys ?? MAX_KEYS;
  }

  /** size is how many keys are held (both windows): bounded by twice maxKeys plus the overflow key. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** hit asks for one request of `key`: counted and allowed if under the limit, else refused (and not counted). */
  hit(key: string): RateDecision {
    const now = this.now();
    const index = Math.floor(now / this.windowMs);
    if (index > this.window) this.roll(index);
    // A clock that went back stays in the current window, at its start: the most the previous window weighs.
    const elapsed = Math.max(0, now - this.window * this.windowMs);
    if (this.current.size >= this.maxKeys && !this.current.has(key)) key = OVERFLOW;
    const prev = this.previous.get(key) ?? 0;
    const curr = this.current.get(key) ?? 0;
    const W = this.windowMs;
    const used = (prev === 0 ? 0 : Math.floor((prev * (W - elapsed)) / W)) + curr;
    const resetSeconds = Math.ceil((W - elapsed) / 1000);
    if (used < this.limit) {
      this.current.set(key, curr + 1);
      return { allowed: true, remaining: this.limit - used - 1, resetSeconds, retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      remaining: 0,
      resetSeconds,
      retryAfterSeconds: Math.ceil(this.waitMs(prev, curr, elapsed) / 1000),
    };
  }

  /**
   * waitMs: how long until a refused key would be let through, if it asked for nothing meanwhile. At elapsed e
   * it is let through once floor(prev · (W − e) / W) + curr < limit, i.e. prev · (W − e) < (limit − curr) · W,
   * integers compared exactly: e ≥ W − ⌊((limit − curr) · W − 1) / prev⌋. With the current window full
   * (curr = limit: refusals are not counted, so never more) the next window carries curr as its `prev`.
   */
  private waitMs(prev: number, curr: number, elapsed: number): number {
    const W = this.windowMs;
    if (curr < this.limit) return W - Math.floor(((this.limit - curr) * W - 1) / prev) - elapsed;
    return W - elapsed + (W - Math.floor((this.limit * W - 1) / curr));
  }

  /** roll starts window `index`: the current counts become the previous ones, or nothing if a window was skipped. */
  private roll(index: number): void {
    this.previous = index === this.window + 1 ? this.current : new Map();
    this.current = new Map();
    this.window = index;
  }
}
