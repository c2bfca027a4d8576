import { Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RegistryNotificationEvent } from '@portcullis/contracts';
import {
  isIndexManifest,
  seenRegistryEvent,
  summarizeManifest,
  summarizeReferences,
  tagsWithDigest,
  type ManifestFacts,
} from '@portcullis/domain';
import { RegistryClient, SUBJECT, type RegistryRef } from './registry-client';
import { RepositoryWriter } from './repository-writer';

/** RegistryRecord is the registry a notification came from (identified by its secret). */
export interface RegistryRecord extends RegistryRef {
  readonly id: number;
}

/** Recorded is the position of the last event appended (null: nothing to record), or 'duplicate' (seen before). */
export type Recorded = bigint | null | 'duplicate';

/** RecordRegistryPushCommand records a registry's manifest push notification (with a tag and a digest). */
export class RecordRegistryPushCommand extends Command<Recorded> {
  constructor(
    readonly registry: RegistryRecord,
    readonly event: RegistryNotificationEvent,
  ) {
    super();
  }
}

/** RecordRegistryDeleteCommand records a registry's delete notification (a manifest by digest, or a tag). */
export class RecordRegistryDeleteCommand extends Command<Recorded> {
  constructor(
    readonly registry: RegistryRecord,
    readonly event: RegistryNotificationEvent,
  ) {
    super();
  }
}

/** PullMark is the latest pull of one tag (or, pulled by digest, of the tags with that digest). */
export interface PullMark {
  readonly registryId: number;
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string | null;
  readonly at: string;
}

/** RecordPullCommand records a coalesced last-pulled mark (PullRecorder's flush). */
export class RecordPullCommand extends Command<void> {
  constructor(readonly pull: PullMark) {
    super();
  }
}

/** DiscoveredTag is a tag the catalog has and Portcullis does not (or with another digest). */
export type DiscoveredTag = ManifestFacts & { tag: string; previousDigest: string | null };

/** ReconcileRepositoryCommand applies one repository's catalog difference as compensating events (CatalogSync). */
export class ReconcileRepositoryCommand extends Command<{
  position: bigint | null;
  discovered: number;
  vanished: number;
}> {
  constructor(
    readonly registryId: number,
    readonly fullName: string,
    readonly discovered: readonly DiscoveredTag[],
    readonly vanished: ReadonlyArray<{ tag: string; digest: string }>,
  ) {
    super();
  }
}

/**
 * RecordRegistryPushHandler turns a push into RecordPush. Deduplicated durably on the event id by the repository
 * stream itself (it remembers the ids of its last events, ADR 0016): a redelivery costs one read and no write.
 * The manifest is fetched once, and only for an event the repository has not recorded yet.
 */
@CommandHandler(RecordRegistryPushCommand)
export class RecordRegistryPushHandler implements ICommandHandler<RecordRegistryPushCommand> {
  private readonly logger = new Logger('registry-events');

  constructor(
    private readonly writer: RepositoryWriter,
    private readonly client: RegistryClient,
  ) {}

  async execute({ registry, event }: RecordRegistryPushCommand): Promise<Recorded> {
    const { target } = event;
    const digest = target.digest as string;
    const tag = target.tag as string;
    const actor = await this.writer.actor(event.actor?.name);
    const metadata = this.writer.metadata(actor);
    let duplicate = false;
    let manifest: ManifestFacts | undefined;
    const out = await this.writer.run(registry.id, target.repository, async (state) => {
      duplicate = seenRegistryEvent(state, event.id);
      if (duplicate) return null;
      manifest ??= await this.facts(registry, target.repository, digest, target.mediaType as string, target.references);
      return {
        type: 'RecordPush',
        data: {
          repository: await this.writer.resolve(registry.id, target.repository, state),
          newTagId: await this.writer.tagId(state, tag),
          tag,
          manifest,
          actor,
          registryEventId: event.id,
        },
        metadata,
      };
    });
    return duplicate ? 'duplicate' : out.position;
  }

  /**
   * facts: an image's size comes from the notification's references (includereferences: true) when
   * present; an index's platforms, or a missing reference list, need the manifest from the registry.
   * If the registry cannot be asked, the push is still recorded, with the size unknown.
   */
  private async facts(
    registry: RegistryRecord,
    repository: string,
    digest: string,
    mediaType: string,
    references: RegistryNotificationEvent['target']['references'],
  ): Promise<ManifestFacts> {
    const fromReferences = summarizeReferences(digest, mediaType, references);
    if (fromReferences) return fromReferences;
    try {
      const fetched = await this.client.getManifest(registry, repository, digest);
      return summarizeManifest(digest, mediaType, fetched.body);
    } catch (e) {
      this.logger.warn(`push of ${repository}@${digest} recorded without size: ${(e as Error).message}`);
      return { digest, mediaType, size: null, platforms: isIndexManifest(mediaType) ? [] : null, imageId: null };
    }
  }
}

/** RecordRegistryDeleteHandler turns a delete into DeleteManifest (by digest) or DeleteTag, deduplicated as pushes are. */
@CommandHandler(RecordRegistryDeleteCommand)
export class RecordRegistryDeleteHandler implements ICommandHandler<RecordRegistryDeleteCommand> {
  constructor(private readonly writer: RepositoryWriter) {}

  async execute({ registry, event }: RecordRegistryDeleteCommand): Promise<Recorded> {
    const { target } = event;
    // Portcullis's own deletes (DeleteImagesHandler, the only caller of the registry's DELETE as SUBJECT) are
    // recorded by that handler with the user who asked. Their notification can arrive before the handler
    // records, and would credit the deletion to 'portcullis' in the audit trail; a crash between the two is
    // reconciled by the catalog sync.
    if (event.actor?.name === SUBJECT) return null;
    const by = await this.writer.actor(event.actor?.name);
    const metadata = this.writer.metadata(by);
    let duplicate = false;
    const out = await this.writer.run(registry.id, target.repository, async (state) => {
      duplicate = seenRegistryEvent(state, event.id);
      if (duplicate) return null;
      return target.digest
        ? { type: 'DeleteManifest', data: { digest: target.digest, by, registryEventId: event.id }, metadata }
        : { type: 'DeleteTag', data: { tag: target.tag as string, by, registryEventId: event.id }, metadata };
    });
    return duplicate ? 'duplicate' : out.position;
  }
}

/** RecordPullHandler: a pull by tag needs no look-up first (run loads the stream once); a pull by digest marks its tags. */
@CommandHandler(RecordPullCommand)
export class RecordPullHandler implements ICommandHandler<RecordPullCommand> {
  constructor(private readonly writer: RepositoryWriter) {}

  async execute({ pull }: RecordPullCommand): Promise<void> {
    const tags =
      pull.tag !== null
        ? [pull.tag]
        : pull.digest
          ? tagsWithDigest((await this.writer.load(pull.registryId, pull.repository)).state, pull.digest)
          : [];
    const metadata = this.writer.metadata(null);
    for (const tag of tags)
      await this.writer.run(pull.registryId, pull.repository, async () => ({
        type: 'RecordPull',
        data: { tag, pulledAt: pull.at },
        metadata,
      }));
  }
}

/** ReconcileRepositoryHandler: ids for new tags (and a new repository) are allocated only when the state needs them. */
@CommandHandler(ReconcileRepositoryCommand)
export class ReconcileRepositoryHandler implements ICommandHandler<ReconcileRepositoryCommand> {
  constructor(private readonly writer: RepositoryWriter) {}

  async execute({ registryId, fullName, discovered, vanished }: ReconcileRepositoryCommand) {
    const metadata = this.writer.metadata(null);
    const out = await this.writer.run(registryId, fullName, async (state) => {
      const newTagIds: Record<string, number> = {};
      for (const d of discovered) newTagIds[d.tag] = await this.writer.tagId(state, d.tag);
      return {
        type: 'ReconcileRepository',
        data: {
          repository: await this.writer.resolve(registryId, fullName, state),
          newTagIds,
          discovered,
          vanished,
        },
        metadata,
      };
    });
    return {
      position: out.position,
      discovered: out.events.filter((e) => e.type === 'TagDiscovered').length,
      vanished: out.events.filter((e) => e.type === 'TagVanished').length,
    };
  }
}

/** RegistryEventsCommandHandlers are registered in AppModule (through RegistryEventsProviders). */
export const RegistryEventsCommandHandlers = [
  RecordRegistryPushHandler,
  RecordRegistryDeleteHandler,
  RecordPullHandler,
  ReconcileRepositoryHandler,
];
