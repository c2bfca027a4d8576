import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key';
import type { IssuedToken, RegistryAccess, TokenIssuer } from './token-issuer.port';

/** KeyReference is how the JWT header names the signing key: libtrust `kid` (2.x default) or the `x5c` chain. */
export type KeyReference = 'kid' | 'x5c';

/** JoseTokenIssuerOptions: the key, how to reference it, `iss` and the lifetime. */
export interface JoseTokenIssuerOptions {
  readonly key: SigningKey;
  readonly keyReference: KeyReference;
  readonly issuer: string;
  readonly lifetimeSeconds: number;
  /** clock is injectable so tests can pin iat/nbf/exp. */
  readonly clock?: () => number;
}

/**
 * JoseTokenIssuer signs what distribution 2.8 verifies (registry-interop §3.4, §10): `aud` a string,
 * integer `iat/nbf/exp`, `kid` or `x5c` in the header. `nbf` is five seconds before `iat`, as in Portus,
 * on top of the registry's own 60 s leeway.
 */
export class JoseTokenIssuer implements TokenIssuer {
  readonly issuer: string;
  private readonly header: Record<string, unknown>;

  constructor(private readonly options: JoseTokenIssuerOptions) {
    this.issuer = options.issuer;
    const { key, keyReference } = options;
    this.header =
      keyReference === 'x5c'
        ? { alg: key.algorithm, typ: 'JWT', x5c: [...key.x5c] }
        : { alg: key.algorithm, typ: 'JWT', kid: key.kid };
  }

  async issue(input: {
    subject: string;
    audience: string;
    access: readonly RegistryAccess[] | null;
  }): Promise<IssuedToken> {
    const now = Math.floor((this.options.clock ?? Date.now)() / 1000);
    const claims =
      input.access === null ? {} : { access: input.access.map((a) => ({ ...a, actions: [...a.actions] })) };
    const token = await new SignJWT(claims)
      .setProtectedHeader(this.header as { alg: string })
      .setIssuer(this.issuer)
      .setSubject(input.subject)
      .setAudience(input.audience) // a string: the registry refuses an array
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + this.options.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.options.key.privateKey);
    return { token, expiresIn: this.options.lifetimeSeconds, issuedAt: new Date(now * 1000).toISOString() };
  }

  async rootCertBundlePem(): Promise<string> {
    return this.options.key.certificatePem;
  }
}
