/**
 * redactCredentials removes secrets from a connection string or from any text that may quote one
 * (driver error messages do): `scheme://user:password@` keeps the scheme and loses the user-info, and
 * password-like query options lose their value. Used on every message an adapter logs or throws.
 */
export function redactCredentials(text: string): string {
  return (
    text
      // Everything up to the last '@' of the token: a password may hold unencoded '@', ':', '/' or '?', and
      // hiding a host now and then is better than showing part of a password.
      .replace(/([a-z][a-z0-9+.-]*:\/\/)\S*@/gi, '$1***@')
      .replace(/([?&\s;](?:password|pass|pwd|secret|token|tlsCertificateKeyFilePassword)=)[^&\s]*/gi, '$1***')
  );
}
