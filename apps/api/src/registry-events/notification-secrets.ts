import { existsSync, readFileSync } from 'node:fs';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { createFileOnce } from '../platform/create-file-once';

/** KEY_BYTES is the server key's size: as long as the HMAC-SHA256 output it keys. */
const KEY_BYTES = 32;

/**
 * loadNotificationKey reads `<data_dir>/secrets/notification.key`, generating it (0600, in a 0700
 * directory) on first start with createFileOnce: processes starting at once agree on one key, and none
 * reads a half-written file.
 */
export function loadNotificationKey(dataDir: string): Buffer {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'notification.key');
  if (!existsSync(file)) createFileOnce(file, randomBytes(KEY_BYTES).toString('base64') + '\n', 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < KEY_BYTES) throw new Error(`${file} holds no usable key (expected ${KEY_BYTES} base64 bytes)`);
  return key;
}

/**
 * NotificationSecrets derives each registry's notification secret: HMAC-SHA256(server key,
 * `registry-notifications-<registryId>`). Nothing secret is ever stored in an event; rotating the key
 * file rotates every registry's secret (regenerate their configs). The registry sends the secret in
 * `Authorization: Bearer <secret>`; the registry is identified by which secret matches, never by the
 * Host header (Portus #579).
 */
@Injectable()
export class NotificationSecrets {
  private readonly key: Buffer;
  /** secrets remembers each registry's secret: the key is read once, and every notification needs them all. */
  private readonly secrets = new Map<number, string>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = loadNotificationKey(config.dataDir);
  }

  /** secretFor is the registry's secret, base64url (header-safe, 43 characters). */
  secretFor(registryId: number): string {
    let secret = this.secrets.get(registryId);
    if (secret === undefined) {
      secret = createHmac('sha256', this.key).update(`registry-notifications-${registryId}`).digest('base64url');
      this.secrets.set(registryId, secret);
    }
    return secret;
  }

  /** authorizationFor is the header value the registry's config must send. */
  authorizationFor(registryId: number): string {
    return `Bearer ${this.secretFor(registryId)}`;
  }

  /**
   * identify returns the registry whose secret the header carries, or null. Every candidate is compared
   * in constant time and the loop never stops early, so timing tells nothing about which one (or how
   * much of one) matched.
   */
  identify(authorization: string | undefined, registryIds: readonly number[]): number | null {
    const match = /^Bearer ([A-Za-z0-9_-]{1,256})$/i.exec(authorization?.trim() ?? '');
    const given = Buffer.from(match?.[1] ?? '');
    let found: number | null = null;
    for (const id of registryIds) {
      const expected = Buffer.from(this.secretFor(id));
      // timingSafeEqual needs equal lengths; compare against the expected value itself when they differ.
      const same = given.length === expected.length && timingSafeEqual(given, expected);
      if (same && found === null) found = id;
    }
    return found;
  }
}
