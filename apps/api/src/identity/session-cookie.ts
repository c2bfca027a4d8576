import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './passwords';

/**
 * SESSION_COOKIE is the UI session cookie. Path=/api: the registry's /v2 endpoints never see it, and
 * there is nothing else on this origin that needs it. (A `__Host-` prefix would need Secure and Path=/,
 * which plain-HTTP development set-ups cannot meet.)
 */
export const SESSION_COOKIE = 'portcullis_session';

/** CSRF_HEADER carries the session's CSRF token on cookie-authenticated writes. */
export const CSRF_HEADER = 'x-csrf-token';

/** SECRET_PATTERN: 32 random bytes, base64url, no padding (43 characters). */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** newSessionSecret is the cookie value: 256 random bits (the server keeps only its SHA-256). */
export const newSessionSecret = (): string => randomBytes(32).toString('base64url');

/**
 * csrfTokenFor derives the session's CSRF token from the cookie secret: whoever can read it (the UI,
 * from the login answer) can send it, but a cross-site page can neither read the HttpOnly cookie nor
 * the token, and the token does not reveal the secret (SHA-256 preimage). Nothing extra is stored.
 */
export const csrfTokenFor = (secret: string): string =>
  createHash('sha256').update(`portcullis-csrf\u0000${secret}`, 'utf8').digest('base64url');

/**
 * readSessionCookie returns our cookie's value from a Cookie header, or null when it is absent,
 * malformed, or present more than once: a duplicate is how a sibling subdomain "tosses" a cookie in
 * front of ours, so an ambiguous header authenticates nobody.
 */
export function readSessionCookie(header: string | undefined): string | null {
  if (header === undefined || header.length > 8192) return null;
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    values.push(part.slice(eq + 1).trim());
  }
  if (values.length !== 1) return null;
  const value = values[0].startsWith('"') && values[0].endsWith('"') ? values[0].slice(1, -1) : values[0];
  return SECRET_PATTERN.test(value) ? value : null;
}

/** sessionCookie is the Set-Cookie value for a new session; `maxAgeSeconds` is the absolute lifetime. */
export function sessionCookie(secret: string, maxAgeSeconds: number, secure: boolean): string {
  const attrs = [`${SESSION_COOKIE}=${secret}`, 'Path=/api', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

/** clearedSessionCookie tells the browser to drop the cookie (logout, expired or revoked session). */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure).replace(/Max-Age=0/, 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
}

/** SAFE_METHODS never change state, so they need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** CsrfInput is what the CSRF check reads from a cookie-authenticated request. */
export interface CsrfInput {
  readonly method: string;
  readonly token: string | undefined;
  readonly expected: string;
  readonly origin: string | undefined;
  readonly host: string | undefined;
}

/**
 * originAllowed: no Origin (same-origin GETs, older clients, curl) passes; a present Origin must name
 * this host exactly. `null` (sandboxed frames, some redirects) and anything unparsable fail.
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // An Origin is scheme://host[:port] only; userinfo or a path means it is not a real Origin header.
  if (url.username || url.password || origin.replace(/\/$/, '').toLowerCase() !== url.origin) return false;
  return url.host.toLowerCase() === host.toLowerCase();
}

/**
 * csrfRefusal says why a cookie-authenticated request must be refused, or null to let it through:
 * unsafe methods need the session's token in X-CSRF-Token (double submit against a server-derived
 * value), and every request's Origin, when sent, must be ours.
 */
export function csrfRefusal(input: CsrfInput): string | null {
  if (!originAllowed(input.origin, input.host)) return 'cross-origin request refused';
  if (SAFE_METHODS.has(input.method.toUpperCase())) return null;
  if (!input.token) return 'missing X-CSRF-Token header';
  if (!constantTimeEqual(input.token, input.expected)) return 'invalid X-CSRF-Token header';
  return null;
}
