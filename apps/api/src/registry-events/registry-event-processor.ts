import { Injectable, Logger } from '@nestjs/common';
import type { RegistryNotificationEvent } from '@portcullis/contracts';
import {
  isIndexManifest,
  isTaggableManifest,
  seenRegistryEvent,
  summarizeManifest,
  summarizeReferences,
  type ManifestFacts,
} from '@portcullis/domain';
import { RegistryClient, SUBJECT, type RegistryRef } from './registry-client';
import { RepositoryWriter } from './repository-writer';
import { PullRecorder } from './pull-recorder';

/** Outcome of one notification event, for logs and tests. */
export type EventOutcome = 'recorded' | 'unchanged' | 'duplicate' | 'ignored' | 'pull-noted';

/** RegistryRecord is the registry a notification came from (identified by its secret). */
export interface RegistryRecord extends RegistryRef {
  readonly id: number;
}

/**
 * RegistryEventProcessor turns one notification event into repository events: manifest pushes become
 * ImagePushed, deletes TagDeleted for every tag of the digest, pulls a coalesced last-pulled mark; blob
 * events are ignored. Pushes and deletes are deduplicated durably on the event id, by the repository stream
 * itself (it remembers the ids of its last events, ADR 0016): a redelivery costs one read and no write.
 */
@Injectable()
export class RegistryEventProcessor {
  private readonly logger = new Logger('registry-events');

  constructor(
    private readonly writer: RepositoryWriter,
    private readonly client: RegistryClient,
    private readonly pulls: PullRecorder,
  ) {}

  async process(registry: RegistryRecord, event: RegistryNotificationEvent): Promise<EventOutcome> {
    const { action, target } = event;
    if (action === 'mount') return 'ignored';
    if (action === 'pull') {
      if (!isTaggableManifest(target.mediaType)) return 'ignored';
      this.pulls.record({
        registryId: registry.id,
        repository: target.repository,
        tag: target.tag ?? null,
        digest: target.digest ?? null,
        at: new Date().toISOString(),
      });
      return 'pull-noted';
    }
    // A push without a tag is a platform manifest of an index (pushed by digest) or a blob: nothing to show.
    if (action === 'push' && (!isTaggableManifest(target.mediaType) || !target.tag || !target.digest)) return 'ignored';
    if (action === 'delete' && !target.digest && !target.tag) return 'ignored';
    const out = action === 'push' ? await this.push(registry, event) : await this.delete(registry, event);
    return out === 'duplicate' ? out : out === null ? 'unchanged' : 'recorded';
  }

  private async push(registry: RegistryRecord, event: RegistryNotificationEvent): Promise<bigint | null | 'duplicate'> {
    const { target } = event;
    const digest = target.digest as string;
    const tag = target.tag as string;
    const actor = await this.writer.actor(event.actor?.name);
    let duplicate = false;
    // Fetched once, and only for an event this repository has not recorded yet (an index means a registry call).
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
        metadata: this.writer.metadata(actor),
      };
    });
    return duplicate ? 'duplicate' : out.position;
  }

  private async delete(
    registry: RegistryRecord,
    event: RegistryNotificationEvent,
  ): Promise<bigint | null | 'duplicate'> {
    const { target } = event;
    // Portcullis's own deletes (DeleteImagesHandler, the only caller of the registry's DELETE as SUBJECT) are
    // recorded by that handler with the user who asked. Their notification can arrive before the handler
    // records, and would credit the deletion to 'portcullis' in the audit trail; a crash between the two is
    // reconciled by the catalog sync.
    if (event.actor?.name === SUBJECT) return null;
    const by = await this.writer.actor(event.actor?.name);
    let duplicate = false;
    const out = await this.writer.run(registry.id, target.repository, async (state) => {
      duplicate = seenRegistryEvent(state, event.id);
      if (duplicate) return null;
      return target.digest
        ? {
            type: 'DeleteManifest',
            data: { digest: target.digest, by, registryEventId: event.id },
            metadata: this.writer.metadata(by),
          }
        : {
            type: 'DeleteTag',
            data: { tag: target.tag as string, by, registryEventId: event.id },
            metadata: this.writer.metadata(by),
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
