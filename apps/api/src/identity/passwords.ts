import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** hashPassword: argon2id with the library's defaults (m=19 MiB, t=2, p=1, OWASP's minimum). */
export const hashPassword = (plain: string): Promise<string> => hash(plain);

/** verifyPassword never throws on a malformed stored hash; it just fails. */
export async function verifyPassword(stored: string | null | undefined, plain: string): Promise<boolean> {
  if (!stored || !plain) return false;
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

/**
 * TOKEN_PREFIX makes leaked tokens recognisable to secret scanners (GitHub's push protection and
 * the like match on fixed prefixes).
 */
export const TOKEN_PREFIX = 'pcat_';

/** newApplicationToken: 32 random bytes, base64url, prefixed: ~190 bits, so a plain SHA-256 is a safe hash. */
export function newApplicationToken(): { plain: string; hash: string } {
  const plain = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { plain, hash: hashToken(plain) };
}

/** hashToken is SHA-256 hex: tokens are high-entropy, so no salt or slow hash is needed to resist guessing. */
export const hashToken = (plain: string): string => createHash('sha256').update(plain, 'utf8').digest('hex');

/** constantTimeEqual compares secrets without leaking where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
