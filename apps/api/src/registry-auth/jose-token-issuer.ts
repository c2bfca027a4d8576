import { randomUUID, webcrypto } from 'node:crypto';
import { CompactSign } from 'jose';
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

/** WEBCRYPTO_ALGORITHMS are the import parameters of each signing algorithm's key (jose signs through WebCrypto). */
const WEBCRYPTO_ALGORITHMS = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
} as const;

const encoder = new TextEncoder();

/**
 * JoseTokenIssuer signs what distribution 2.8 verifies (registry-interop §3.4, §10): `aud` a string,
 * integer `iat/nbf/exp`, `kid` or `x5c` in the header. `nbf` is five seconds before `iat`, as in Portus,
 * on top of the registry's own 60 s leeway.
 *
 * It is on the token endpoint's hot path, so the work that does not change per token is done once: the
 * key is imported into WebCrypto once (jose would otherwise convert the KeyObject on every signature),
 * the protected header is built once, and the claims are serialised directly (jose's CompactSign signs
 * them as given; SignJWT would copy and re-validate them for every token).
 */
export class JoseTokenIssuer implements TokenIssuer {
  readonly issuer: string;
  private readonly header: { alg: string; typ: string; kid?: string; x5c?: string[] };
  private cryptoKey: Promise<webcrypto.CryptoKey> | null = null;
  /** issJson is `iss` serialised once: it starts every payload. */
  private readonly issJson: string;

  constructor(private readonly options: JoseTokenIssuerOptions) {
    this.issuer = options.issuer;
    const { key, keyReference } = options;
    this.header =
      keyReference === 'x5c'
        ? { alg: key.algorithm, typ: 'JWT', x5c: [...key.x5c] }
        : { alg: key.algorithm, typ: 'JWT', kid: key.kid };
    this.issJson = JSON.stringify(options.issuer);
  }

  /** key imports the private key into WebCrypto on first use; the import is the same for every token. */
  private key(): Promise<webcrypto.CryptoKey> {
    const { privateKey, algorithm } = this.options.key;
    return (this.cryptoKey ??= webcrypto.subtle.importKey(
      'pkcs8',
      privateKey.export({ format: 'der', type: 'pkcs8' }),
      WEBCRYPTO_ALGORITHMS[algorithm],
      false,
      ['sign'],
    ));
  }

  async issue(input: {
    subject: string;
    audience: string;
    access: readonly RegistryAccess[] | null;
  }): Promise<IssuedToken> {
    const now = Math.floor((this.options.clock ?? Date.now)() / 1000);
    const exp = now + this.options.lifetimeSeconds;
    // The registered claims, then `access` (left out for a login without scopes, as Portus does).
    let payload =
      `{"iss":${this.issJson},"sub":${JSON.stringify(input.subject)},"aud":${JSON.stringify(input.audience)}` +
      `,"iat":${now},"nbf":${now - 5},"exp":${exp},"jti":"${randomUUID()}"`;
    if (input.access !== null) payload += `,"access":${JSON.stringify(input.access.map(accessEntry))}`;
    payload += '}';
    const token = await new CompactSign(encoder.encode(payload)).setProtectedHeader(this.header).sign(await this.key());
    return {
      token,
      expiresIn: this.options.lifetimeSeconds,
      issuedAt: new Date(now * 1000).toISOString(),
      access: input.access,
    };
  }

  async rootCertBundlePem(): Promise<string> {
    return this.options.key.certificatePem;
  }
}

/** accessEntry keeps exactly the three fields of an `access` entry, whatever else the grant object carries. */
const accessEntry = (a: RegistryAccess) => ({ type: a.type, name: a.name, actions: a.actions });
