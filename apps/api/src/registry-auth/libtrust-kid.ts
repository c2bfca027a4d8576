import { createHash, type KeyObject } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32 is RFC 4648 without padding (Node has no built-in encoder). */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(buffer << (5 - bits)) & 31] : out;
}

/**
 * libtrustKeyId is the key id distribution 2.x looks `kid` up by (registry-interop §3.2): SHA-256 of the
 * DER SubjectPublicKeyInfo, first 240 bits, base32, 12 groups of 4 joined by ':'. Not an RFC 7638
 * thumbprint: the registry rejects that (and the lower-cased or colon-less forms).
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(der).digest().subarray(0, 30);
  return (base32(digest).match(/.{4}/g) ?? []).join(':');
}
