import { createHmac, randomBytes } from 'node:crypto';
import { verifyPassword } from './passwords';

/**
 * PasswordCache remembers successful argon2 verifications for a short while, so a `docker pull` that
 * asks for a token per layer pays argon2 (~20 ms of CPU) once, not each time. Entries are keyed by an
 * HMAC under a per-process random key of (user id, stored hash, password): no plaintext is kept, the
 * map cannot be used offline, and a password change (a new stored hash) misses the cache at once.
 * Failures are never cached, so guessing always pays the full price.
 */
export class PasswordCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, number>();

  /** clock is the app's (Clock.ms): an entry expires with the time the rest of identity uses. */
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number,
  ) {}

  async verify(userId: number, storedHash: string | null, password: string): Promise<boolean> {
    if (!storedHash || !password) return false;
    const id = createHmac('sha256', this.key).update(`${userId}\u0000${storedHash}\u0000${password}`).digest('base64');
    const now = this.clock();
    const until = this.entries.get(id);
    if (until !== undefined && until > now) return true;
    if (until !== undefined) this.entries.delete(id);
    if (!(await verifyPassword(storedHash, password))) return false;
    // Oldest first: Map keeps insertion order, so dropping the first key evicts the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(id, now + this.ttlMs);
    return true;
  }
}
