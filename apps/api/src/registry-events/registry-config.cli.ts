import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { notFound } from '@portcullis/domain';
import { ReadSide } from '../platform/read-side';
import { RegistryConfigService } from './registry-config';

/**
 * writeRegistryConfig writes `<out>/config.yml` (0600: it holds the notification secret) and
 * `<out>/portcullis-bundle.crt`, with storage in `<out>/storage`. Paths are absolute so the registry
 * can be started from anywhere. Returns the paths written.
 */
export async function writeRegistryConfig(
  app: INestApplicationContext,
  options: { registry: string; out: string; listen?: string; portcullisUrl: string },
): Promise<string[]> {
  const registries = await app.get(ReadSide).registries();
  const registry = registries.find((r) => r['name'] === options.registry);
  if (!registry) throw notFound('REGISTRY.NOT_FOUND', `no registry named '${options.registry}'`);
  const out = resolve(options.out);
  mkdirSync(join(out, 'storage'), { recursive: true, mode: 0o700 });
  const files = await app.get(RegistryConfigService).build(registry['id'] as number, {
    listen: options.listen,
    portcullisUrl: options.portcullisUrl,
    storageDir: join(out, 'storage'),
    bundlePath: join(out, 'portcullis-bundle.crt'),
  });
  const config = join(out, 'config.yml');
  writeFileSync(config, files['config.yml'], { mode: 0o600 });
  chmodSync(config, 0o600);
  writeFileSync(join(out, 'portcullis-bundle.crt'), files['portcullis-bundle.crt'], { mode: 0o644 });
  return [config, join(out, 'portcullis-bundle.crt')];
}
