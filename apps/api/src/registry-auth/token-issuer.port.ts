/** RegistryAccess is one entry of a registry JWT's `access` claim (distribution token spec). */
export interface RegistryAccess {
  readonly type: string; // 'repository' | 'registry' (| 'repository(<class>)')
  readonly name: string;
  readonly actions: readonly string[];
}

/**
 * IssuedToken is what the token endpoint answers with (besides `access_token`, a copy of `token`), and what the
 * token grants: `access` is exactly the claim signed into it (null: left out), so nobody reads it back.
 */
export interface IssuedToken {
  readonly token: string;
  readonly expiresIn: number;
  readonly issuedAt: string;
  readonly access: readonly RegistryAccess[] | null;
}

/**
 * TokenIssuer signs registry bearer tokens. The token endpoint uses it for clients; the registry
 * client (tag/repository deletes, catalog sync) uses it to talk to the registry as Portcullis.
 */
export interface TokenIssuer {
  /** issuer is the JWT `iss` (machine_fqdn.value); the registry's auth.token.issuer must match. */
  readonly issuer: string;
  /** issue signs a token; `access: null` leaves the claim out (a login without scopes, as Portus does). */
  issue(input: { subject: string; audience: string; access: readonly RegistryAccess[] | null }): Promise<IssuedToken>;
  /** rootCertBundlePem is the certificate chain the registry's auth.token.rootcertbundle must hold. */
  rootCertBundlePem(): Promise<string>;
}

/** TOKEN_ISSUER is the Nest DI token for TokenIssuer. */
export const TOKEN_ISSUER = Symbol('TOKEN_ISSUER');
