import { randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

// NOTE: a minimal DER writer instead of shelling out to `openssl req -x509` or adding @peculiar/x509:
// no subprocess (openssl is not in slim or distroless images, and its errors arrive as stderr text), no
// dependency tree (@peculiar/x509 pulls 11 packages incl. a DI container), and the output is checked by
// Node's own X.509 parser below and by the registry's Go parser in the e2e tests. X.690 DER, RFC 5280.

const der = (tag: number, body: Buffer): Buffer => {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer) => der(0xa0 + n, inner);
const bitString = (bytes: Buffer, unusedBits = 0) => der(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
const octetString = (bytes: Buffer) => der(0x04, bytes);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const NULL = Buffer.from([0x05, 0x00]);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return der(0x06, Buffer.from(out));
}

/** time is UTCTime before 2050 and GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function time(at: Date): Buffer {
  const iso = at.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  return at.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2), 'ascii')) : der(0x18, Buffer.from(iso));
}

const name = (commonName: string) => seq(set(seq(oid('2.5.4.3'), utf8(commonName))));

const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [TRUE] : []), octetString(value));

/** signatureAlgorithm: ecdsa-with-SHA256 (no parameters) or sha256WithRSAEncryption (NULL parameters). */
const signatureAlgorithm = (key: KeyObject) =>
  key.asymmetricKeyType === 'ec' ? seq(oid('1.2.840.10045.4.3.2')) : seq(oid('1.2.840.113549.1.1.11'), NULL);

/**
 * selfSignedCertificate issues a CA:TRUE certificate for `publicKey`, signed by `privateKey` with SHA-256.
 * It is the registry's `rootcertbundle`: the `kid` path looks its key up, and the `x5c` path chains to it
 * (CA:TRUE and keyCertSign let a later leaf issued by it rotate signing keys without touching the registry).
 */
export function selfSignedCertificate(input: {
  privateKey: KeyObject;
  publicKey: KeyObject;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}): string {
  const { privateKey, publicKey } = input;
  if (privateKey.asymmetricKeyType !== 'ec' && privateKey.asymmetricKeyType !== 'rsa')
    throw new Error(`unsupported key type ${privateKey.asymmetricKeyType} (EC P-256 or RSA expected)`);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive and minimally encoded (DER INTEGER)
  const algorithm = signatureAlgorithm(privateKey);
  const tbs = seq(
    explicit(0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    algorithm,
    name(input.commonName),
    seq(time(input.notBefore), time(input.notAfter)),
    name(input.commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      seq(
        extension('2.5.29.19', true, seq(TRUE)), // basicConstraints CA:TRUE
        extension('2.5.29.15', true, bitString(Buffer.from([0x84]), 2)), // keyUsage digitalSignature, keyCertSign
      ),
    ),
  );
  // crypto.sign gives ECDSA signatures DER-encoded (ECDSA-Sig-Value), which is what X.509 wants.
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, algorithm, bitString(signature));
  const pem = `-----BEGIN CERTIFICATE-----\n${cert
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  // Fail here, not at the registry, if the writer ever produces something OpenSSL cannot read or verify.
  if (!new X509Certificate(pem).verify(publicKey)) throw new Error('generated certificate does not verify');
  return pem;
}
