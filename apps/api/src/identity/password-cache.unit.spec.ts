import { hashPassword } from './passwords';
import { PasswordCache } from './password-cache';

describe('PasswordCache', () => {
  let now = 0;
  const cache = new PasswordCache(60_000, 2, () => now);
  let hash: string;
  beforeAll(async () => (hash = await hashPassword('correct horse')));

  it('verifies, then answers from memory until the TTL ends', async () => {
    expect(await cache.verify(1, hash, 'correct horse')).toBe(true);
    const t0 = performance.now();
    expect(await cache.verify(1, hash, 'correct horse')).toBe(true);
    expect(performance.now() - t0).toBeLessThan(10); // no argon2 on a hit
    now = 61_000;
    expect(await cache.verify(1, hash, 'correct horse')).toBe(true); // re-verified after expiry
  });

  it('never caches a failure and misses once the stored hash changes (password changed)', async () => {
    expect(await cache.verify(1, hash, 'wrong')).toBe(false);
    const changed = await hashPassword('new password');
    expect(await cache.verify(1, changed, 'correct horse')).toBe(false);
    expect(await cache.verify(2, hash, 'correct horse')).toBe(true); // keyed per user too
    expect(await cache.verify(1, null, 'correct horse')).toBe(false);
    expect(await cache.verify(1, hash, '')).toBe(false);
  });
});
