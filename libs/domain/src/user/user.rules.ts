import { illegalState, validation } from '../shared/domain-error';
import { charLength } from '../shared/text';
import { NAMESPACE_NAME_MAX, NAMESPACE_NAME_PATTERN } from '../namespace/namespace.rules';

/** USERNAME_PATTERN keeps usernames convertible into a namespace name (Portus validates make_valid(username)). */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** validateUsername returns human messages, empty when the username is acceptable. */
export function validateUsername(name: string): string[] {
  if (name.length === 0) return ["username can't be blank"];
  const errors: string[] = [];
  if (name.length > 255) errors.push('username is too long (max 255)');
  if (!USERNAME_PATTERN.test(name)) {
    errors.push(
      'username can only contain letters, digits, dots, dashes and underscores, and must start with a letter or digit',
    );
  }
  return errors;
}

/** EMAIL_PATTERN is Devise's default email_regexp: deliberately loose, confirmation mail is the real check. */
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+$/;

/** validateEmail returns human messages, empty when the address looks sane. */
export function validateEmail(email: string): string[] {
  if (email.length === 0) return ["email can't be blank"];
  const errors: string[] = [];
  if (email.length > 255) errors.push('email is too long (max 255)');
  if (!EMAIL_PATTERN.test(email)) errors.push('email is invalid');
  return errors;
}

/** validatePassword checks a plain password against Devise's length range used by Portus (8..128). */
export function validatePassword(plain: string): string[] {
  const n = charLength(plain);
  if (n < 8) return ['password is too short (minimum is 8 characters)'];
  if (n > 128) return ['password is too long (maximum is 128 characters)'];
  return [];
}

/** MAKE_VALID_ATTEMPTS bounds the clash counter, as Portus gives up after 1000. */
const MAKE_VALID_ATTEMPTS = 1000;

const trimSeparators = (s: string) => s.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');

/**
 * makeValidNamespaceName is Portus's Namespace.make_valid: it turns a username into a namespace name and adds
 * 0, 1, 2… while `taken` says the name exists. Throws USER.INVALID_USERNAME when nothing usable remains.
 */
export function makeValidNamespaceName(username: string, taken: (name: string) => boolean): string {
  const cleaned = trimSeparators(username.toLowerCase())
    .replace(/[^a-z0-9._-]/g, '_')
    .replace(/[._-]{2,}/g, '_');
  const base = trimSeparators(cleaned.slice(0, NAMESPACE_NAME_MAX));
  if (!NAMESPACE_NAME_PATTERN.test(base)) {
    throw validation('USER.INVALID_USERNAME', `'${username}' cannot be turned into a namespace name`, 'username');
  }
  if (!taken(base)) return base;
  for (let i = 0; i < MAKE_VALID_ATTEMPTS; i++) {
    const suffix = String(i);
    const candidate = trimSeparators(base.slice(0, NAMESPACE_NAME_MAX - suffix.length)) + suffix;
    if (!taken(candidate)) return candidate;
  }
  throw illegalState('USER.NAMESPACE_NAME_EXHAUSTED', `no free namespace name derived from '${username}'`);
}
