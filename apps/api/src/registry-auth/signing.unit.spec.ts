import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { JoseTokenIssuer } from './jose-token-issuer';
import { libtrustKeyId } from './libtrust-kid';
import { selfSignedCertificate } from './self-signed-cert';
import { loadSigningKey, type SigningKeyOptions } from './signing-key';

// Known vectors: keys made with `openssl genpkey`, ids computed with registry-interop §3.2's shell line
// (openssl pkey -pubout -outform DER | openssl dgst -sha256 -binary | head -c 30 | base32 | … | paste -sd:),
// which was cross-checked there against Go libtrust's KeyID() and the real registry.
const P256_PUBLIC = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEXS37NffgvK7UdksqQ7GnI+l7UsOG
ZmLhOAAZfrR2tcOqz+BLZAqMqLLYAGJc7OtSbHEf8+kQKCJ8lWXTvt/e+A==
-----END PUBLIC KEY-----`;
const RSA_PUBLIC = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlUe9akINoC0ZVOzL8DL5
mqTm4IGgaR4kxlumRnUi3rDLQ48Ol3UCHUyrKnW+J3JWBT8Fm25liAWI/LybLJ8/
6dXAWwZDh8h0BCC+x4Lu3C5YaOf2aqfjTghmY7dDbFtJ92fbIZ4GlltbrFTyBbCY
6St9cjCfEchcQFCp0A5VVgWpDGQMQGQhx3+D/q+RapmuqnKZR1cr9FC+MYCGUhbY
O+59z77WeGGC1uZgzHS67BGhzIUk6B3jQlJ9mCuKcIS8/XhqtYZ0rpbJIJMyvbZZ
SoaFtA+bqXJu0EViSnINojGdi6/VZ/7ML7vTW9baKDur9ndsyjDHLIHzGHdUl+5U
vwIDAQAB
-----END PUBLIC KEY-----`;

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('libtrustKeyId', () => {
  it.each([
    ['P-256', P256_PUBLIC, 'XNXY:AOPH:CRC3:ZF6W:KNM5:JYOD:OZRS:IU37:BOUO:ZZ2Y:IZB7:OEKV'],
    ['RSA-2048', RSA_PUBLIC, 'XBVP:RP36:CM7M:DPBV:JMIA:DCU7:LJHQ:MPCQ:TKZA:TRS7:IG4I:PQQK'],
  ])('matches the known vector for %s', (_kind, pem, kid) => expect(libtrustKeyId(createPublicKey(pem))).toBe(kid));

  it('is 12 groups of 4 base32 characters, the same for private and public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = libtrustKeyId(publicKey);
    expect(kid).toMatch(/^[A-Z2-7]{4}(?::[A-Z2-7]{4}){11}$/);
    expect(libtrustKeyId(createPublicKey(privateKey))).toBe(kid);
  });
});

describe('selfSignedCertificate', () => {
  const now = new Date('2026-11-28T00:00:00Z');
  it.each(['ec', 'rsa'] as const)('writes a %s certificate OpenSSL reads, verifies and sees as a CA', (type) => {
    const pair =
      type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = selfSignedCertificate({
      ...pair,
      commonName: 'portcullis.test',
      notBefore: now,
      notAfter: new Date('2056-01-01T00:00:00Z'), // past 2049: GeneralizedTime
    });
    const cert = new X509Certificate(pem);
    expect(cert.verify(pair.publicKey)).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=portcullis.test');
    expect(new Date(cert.validFrom).toISOString()).toBe(now.toISOString());
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2056);
    expect(libtrustKeyId(cert.publicKey)).toBe(libtrustKeyId(pair.publicKey));
  });

  (hasOpenssl ? it : it.skip)('passes `openssl verify` as its own trust anchor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cert-'));
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = selfSignedCertificate({
      ...pair,
      commonName: 'x',
      notBefore: new Date(Date.now() - 1000),
      notAfter: new Date(Date.now() + 86400_000),
    });
    writeFileSync(join(dir, 'c.pem'), pem);
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'c.pem'), join(dir, 'c.pem')]).toString()).toMatch(
      /OK/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('loadSigningKey', () => {
  let dir: string;
  const opts = (extra: Partial<SigningKeyOptions> = {}): SigningKeyOptions => ({
    algorithm: 'ES256',
    keyPath: null,
    certPath: null,
    dataDir: dir,
    commonName: 'portcullis.test',
    now: new Date(),
    ...extra,
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'signing-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a key and certificate on first start and reuses them after', () => {
    const first = loadSigningKey(opts());
    expect(existsSync(join(dir, 'registry-token/es256/key.pem'))).toBe(true);
    expect(statSync(join(dir, 'registry-token/es256/key.pem')).mode & 0o777).toBe(0o600);
    const again = loadSigningKey(opts());
    expect(again.kid).toBe(first.kid);
    expect(again.certificatePem).toBe(first.certificatePem);
    expect(first.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('reads a configured key and certificate', () => {
    const generated = loadSigningKey(opts({ algorithm: 'RS256' }));
    const key = join(dir, 'registry-token/rs256/key.pem');
    const cert = join(dir, 'registry-token/rs256/cert.pem');
    const loaded = loadSigningKey(opts({ algorithm: 'RS256', keyPath: key, certPath: cert, dataDir: '/nonexistent' }));
    expect(loaded.kid).toBe(generated.kid);
    expect(loaded.x5c).toEqual([new X509Certificate(readFileSync(cert)).raw.toString('base64')]);
  });

  it('refuses a certificate of another key, a key of the wrong type, and half a configuration', () => {
    loadSigningKey(opts());
    loadSigningKey(opts({ algorithm: 'RS256' }));
    const p = (alg: string, f: string) => join(dir, `registry-token/${alg}/${f}`);
    expect(() => loadSigningKey(opts({ keyPath: p('es256', 'key.pem'), certPath: p('rs256', 'cert.pem') }))).toThrow(
      /does not belong to the private key/,
    );
    expect(() =>
      loadSigningKey(opts({ algorithm: 'RS256', keyPath: p('es256', 'key.pem'), certPath: p('es256', 'cert.pem') })),
    ).toThrow(/needs an RSA key/);
    expect(() => loadSigningKey(opts({ keyPath: p('es256', 'key.pem') }))).toThrow(/must be set together/);
  });
});

describe('JoseTokenIssuer', () => {
  it('signs iss/sub/aud, integer times with nbf = iat - 5, and the kid header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'issuer-'));
    const key = loadSigningKey({
      algorithm: 'ES256',
      keyPath: null,
      certPath: null,
      dataDir: dir,
      commonName: 'x',
      now: new Date(),
    });
    const issuer = new JoseTokenIssuer({
      key,
      keyReference: 'kid',
      issuer: 'portcullis.test',
      lifetimeSeconds: 900,
      clock: () => 1_795_833_427_900,
    });
    const t = await issuer.issue({
      subject: 'alice',
      audience: 'registry.test',
      access: [{ type: 'repository', name: 'ns/repo', actions: ['pull'] }],
    });
    expect(t).toMatchObject({ expiresIn: 900, issuedAt: '2026-11-28T02:37:07.000Z' });
    const pem = await issuer.rootCertBundlePem();
    const { payload } = await jwtVerify(t.token, await importX509(pem, 'ES256'), {
      currentDate: new Date(1_795_833_430_000),
    });
    expect(payload).toMatchObject({
      iss: 'portcullis.test',
      sub: 'alice',
      aud: 'registry.test',
      iat: 1795833427,
      nbf: 1795833422,
      exp: 1795834327,
    });
    // What the issuer says it granted is exactly the claim it signed (the decisions counter reads only that).
    expect(t.access).toEqual(payload['access']);
    expect(decodeProtectedHeader(t.token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: key.kid });
    expect(createPrivateKey(readFileSync(join(dir, 'registry-token/es256/key.pem'))).asymmetricKeyType).toBe('ec');
    rmSync(dir, { recursive: true, force: true });
  });
});
