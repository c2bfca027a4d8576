/**
 * PasswordAuthenticator is one link of the password chain (style.md point 10, docker_auth's shape):
 * `match` names the user, `noMatch` means "not mine, ask the next", `error` ends the chain with a 401
 * (wrong password, or the directory that owns the user could not be asked).
 */
export interface PasswordAuthenticator {
  readonly name: string;
  attempt(username: string, password: string): Promise<AuthResult>;
}

/** AuthResult is a link's answer; `reason` is for logs only, clients always see the same 401. */
export type AuthResult =
  | { readonly kind: 'match'; readonly userId: number }
  | { readonly kind: 'noMatch' }
  | { readonly kind: 'error'; readonly reason: 'bad-credentials' | 'unavailable' };

export const noMatch: AuthResult = { kind: 'noMatch' };
export const badCredentials: AuthResult = { kind: 'error', reason: 'bad-credentials' };

/** PASSWORD_AUTHENTICATORS is the DI token of the chain after the local password (LDAP today). */
export const PASSWORD_AUTHENTICATORS = Symbol('PASSWORD_AUTHENTICATORS');
