import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { libtrustKeyId } from './libtrust-kid';
import { selfSignedCertificate } from './self-signed-cert';

/** SigningAlgorithm is what distribution 2.8 verifies: ES256 with a P-256 key, RS256 with RSA (registry-interop §3.1). */
export type SigningAlgorithm = 'ES256' | 'RS256';

/** SigningKey is the private key, its certificate chain (PEM, leaf first) and the header values derived from them. */
export interface SigningKey {
  readonly algorithm: SigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
  /** kid is the libtrust key id of the public key. */
  readonly kid: string;
  /** x5c is the chain as standard-base64 DER, for `registry.key_reference: x5c`. */
  readonly x5c: readonly string[];
}

/** SigningKeyOptions are the `registry.*` settings that choose or locate the key. */
export interface SigningKeyOptions {
  readonly algorithm: SigningAlgorithm;
  readonly keyPath: string | null;
  readonly certPath: string | null;
  readonly dataDir: string;
  readonly commonName: string;
  readonly now: Date;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** splitCertificates returns every certificate of a PEM bundle, in order. */
export const splitCertificates = (pem: string): string[] => pem.match(PEM_CERT) ?? [];

function keyMatchesAlgorithm(key: KeyObject, algorithm: SigningAlgorithm): boolean {
  if (algorithm === 'RS256') return key.asymmetricKeyType === 'rsa';
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

/** fromPem checks that key, certificate and algorithm belong together, so a mismatch stops start-up, not docker. */
function fromPem(keyPem: string, certPem: string, algorithm: SigningAlgorithm, where: string): SigningKey {
  const privateKey = createPrivateKey(keyPem);
  const chain = splitCertificates(certPem);
  if (chain.length === 0) throw new Error(`${where}: no PEM certificate found`);
  const leaf = new X509Certificate(chain[0]);
  const publicKey = createPublicKey(privateKey);
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!spki(leaf.publicKey).equals(spki(publicKey)))
    throw new Error(`${where}: the certificate does not belong to the private key`);
  if (!keyMatchesAlgorithm(privateKey, algorithm))
    throw new Error(
      `${where}: registry.signing.algorithm ${algorithm} needs ${algorithm === 'RS256' ? 'an RSA' : 'a P-256 EC'} key`,
    );
  return {
    algorithm,
    privateKey,
    certificatePem: chain.join('\n') + '\n',
    kid: libtrustKeyId(publicKey),
    x5c: chain.map((c) => new X509Certificate(c).raw.toString('base64')),
  };
}

function generate(algorithm: SigningAlgorithm, commonName: string, now: Date) {
  const { privateKey, publicKey } =
    algorithm === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // Valid from an hour ago (clock skew between hosts) for ten years; the kid path ignores the dates anyway.
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 86400_000);
  const certPem = selfSignedCertificate({ privateKey, publicKey, commonName, notBefore, notAfter });
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem };
}

/**
 * loadSigningKey reads `registry.key_path`/`registry.cert_path` when configured; otherwise it uses, or
 * creates on first start, `<data_dir>/registry-token/<alg>/{key.pem,cert.pem}`. The pair is written
 * into a temporary directory and renamed into place, so two processes starting on one data dir end
 * up with the same key (the loser of the rename reads the winner's).
 */
export function loadSigningKey(options: SigningKeyOptions): SigningKey {
  const { algorithm, keyPath, certPath } = options;
  if ((keyPath === null) !== (certPath === null))
    throw new Error('registry.key_path and registry.cert_path must be set together');
  if (keyPath !== null && certPath !== null)
    return fromPem(readFileSync(keyPath, 'utf8'), readFileSync(certPath, 'utf8'), algorithm, keyPath);
  const root = join(options.dataDir, 'registry-token');
  const dir = join(root, algorithm.toLowerCase());
  if (!existsSync(join(dir, 'cert.pem'))) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const tmp = join(root, `.tmp-${randomBytes(6).toString('hex')}`);
    mkdirSync(tmp, { mode: 0o700 });
    const { keyPem, certPem } = generate(algorithm, options.commonName, options.now);
    writeFileSync(join(tmp, 'key.pem'), keyPem, { mode: 0o600 });
    writeFileSync(join(tmp, 'cert.pem'), certPem, { mode: 0o644 });
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const keyFile = join(dir, 'key.pem');
  return fromPem(readFileSync(keyFile, 'utf8'), readFileSync(join(dir, 'cert.pem'), 'utf8'), algorithm, keyFile);
}
