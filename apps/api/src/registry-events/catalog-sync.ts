import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { diffCatalog, summarizeManifest, type SyncStrategy, type TagsByRepository } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { RegistryClient, type RegistryRef } from './registry-client';
import { ReconcileRepositoryCommand, type DiscoveredTag } from './registry-events.commands';

/** INTERVAL_MS is Portus's sync period for the recurring strategies. */
const INTERVAL_MS = 20_000;

/** SyncReport says what one run changed. */
export interface SyncReport {
  repositories: number;
  discovered: number;
  vanished: number;
}

/**
 * CatalogSync is Portus's background.sync: it compares the registry (catalog, tags/list, manifest digests)
 * with the read model and appends compensating events (TagDiscovered, TagVanished, RepositoryDeleted by
 * `portcullis`); history is never rewritten (Portus #1664). `initial` runs once at start when Portcullis has
 * no repositories; `on-start` once at start; `update` and `update-delete` at start and every 20 s.
 * A failed run (registry down, no token issuer) changes nothing and is logged.
 */
@Injectable()
export class CatalogSync implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('catalog-sync');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly read: ReadSide,
    private readonly client: RegistryClient,
    private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get strategy(): SyncStrategy {
    return this.config.raw['background.sync.strategy'] as SyncStrategy;
  }

  async onApplicationBootstrap() {
    if (this.config.raw['background.sync.enabled'] !== true) return;
    const strategy = this.strategy;
    if (strategy === 'initial' && (await this.read.store.collection('repositories').count()) > 0) return;
    this.schedule(0);
  }

  async beforeApplicationShutdown() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }

  private schedule(delay: number) {
    this.timer = setTimeout(() => {
      this.running = this.runAll().finally(() => {
        if (!this.stopped && (this.strategy === 'update' || this.strategy === 'update-delete'))
          this.schedule(INTERVAL_MS);
      });
    }, delay);
    this.timer.unref();
  }

  private async runAll(): Promise<void> {
    for (const r of await this.read.registries()) {
      if (this.stopped) return;
      const ref = { id: r['id'] as number, hostname: r['hostname'] as string, useSsl: r['use_ssl'] === true };
      try {
        const report = await this.run(ref, this.strategy === 'update' ? 'update' : 'update-delete');
        if (report.discovered || report.vanished)
          this.logger.log(`registry ${ref.hostname}: ${JSON.stringify(report)}`);
      } catch (e) {
        this.logger.warn(`registry ${ref.hostname} not synced: ${(e as Error).message}`);
      }
    }
  }

  /** run reconciles one registry once (also used by tests and, later, an admin trigger). */
  async run(registry: RegistryRef & { id: number }, strategy: 'update' | 'update-delete'): Promise<SyncReport> {
    const actual: Record<string, Record<string, string>> = {};
    for (const name of await this.client.catalog(registry)) {
      actual[name] = {};
      for (const tag of await this.client.tags(registry, name)) {
        const digest = await this.client.manifestDigest(registry, name, tag);
        if (digest) actual[name][tag] = digest;
      }
    }
    const known: Record<string, Record<string, string>> = {};
    const repos = await this.read.store.collection('repositories').find({ registry_id: registry.id });
    for (const repo of repos) {
      const tags = await this.read.store.collection('tags').find({ repository_id: repo['id'] as number });
      known[repo['full_name'] as string] = Object.fromEntries(tags.map((t) => [t['name'], t['digest']]));
    }
    const report: SyncReport = { repositories: 0, discovered: 0, vanished: 0 };
    for (const diff of diffCatalog(known as TagsByRepository, actual as TagsByRepository, strategy)) {
      const discovered: DiscoveredTag[] = [];
      for (const d of diff.discovered) {
        const m = await this.client.getManifest(registry, diff.fullName, d.digest);
        discovered.push({
          tag: d.tag,
          previousDigest: d.previousDigest,
          ...summarizeManifest(d.digest, m.mediaType, m.body),
        });
      }
      const out = await this.commands.execute(
        new ReconcileRepositoryCommand(registry.id, diff.fullName, discovered, diff.vanished),
      );
      report.repositories++;
      report.discovered += out.discovered;
      report.vanished += out.vanished;
      await this.read.waitFor(out.position);
    }
    return report;
  }
}
