import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileOnce } from '../platform/create-file-once';

/**
 * SecretBox seals webhook secrets (basic-auth passwords, signing secrets, header values) with AES-256-GCM
 * before they reach a command, so events and read models hold ciphertext only: destroying the key
 * crypto-shreds every stored secret (architecture rule 8). Format: `v1:<key id>:<iv>:<tag>:<ciphertext>`,
 * base64url; the key id (8 hex chars of the key's SHA-256) tells which key sealed a value after a rotation.
 */
export class SecretBox {
  private readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the webhooks key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  seal(clear: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return ['v1', this.keyId, iv, cipher.getAuthTag(), ct]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  open(sealed: string): string {
    const [version, keyId, iv, tag, ct] = sealed.split(':');
    if (version !== 'v1' || ct === undefined) throw new Error('not a sealed value');
    if (keyId !== this.keyId) throw new Error(`sealed with another key (${keyId}); configure webhooks.key_path`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error(`${where} must hold 32 bytes as base64 or hex`);
  return key;
}

/**
 * loadSecretBox reads `webhooks.key_path`, or `<data_dir>/secrets/webhooks.key`, generating that file (0600)
 * on first start with createFileOnce: of several processes starting together on one data dir (api replicas, the
 * dispatcher) exactly one key wins and every process reads that one. (A rename would replace a key another
 * process may already have read and used.)
 */
export function loadSecretBox(keyPath: string | null, dataDir: string): SecretBox {
  if (keyPath) return new SecretBox(parseKey(readFileSync(keyPath, 'utf8'), `webhooks.key_path ${keyPath}`));
  const file = join(dataDir, 'secrets', 'webhooks.key');
  if (!existsSync(file)) createFileOnce(file, randomBytes(32).toString('base64') + '\n', 0o600);
  return new SecretBox(parseKey(readFileSync(file, 'utf8'), file));
}
