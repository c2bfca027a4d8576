import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { RegistryNotificationEvent } from '@portcullis/contracts';
import { isTaggableManifest } from '@portcullis/domain';
import { Clock } from '../platform/clock';
import { PullRecorder } from './pull-recorder';
import {
  RecordRegistryDeleteCommand,
  RecordRegistryPushCommand,
  type RegistryRecord,
} from './registry-events.commands';

export type { RegistryRecord } from './registry-events.commands';

/** Outcome of one notification event, for logs and tests. */
export type EventOutcome = 'recorded' | 'unchanged' | 'duplicate' | 'ignored' | 'pull-noted';

/**
 * RegistryEventProcessor turns one notification event into a command: manifest pushes RecordRegistryPushCommand
 * (ImagePushed), deletes RecordRegistryDeleteCommand (TagDeleted for every tag of the digest), pulls a coalesced
 * last-pulled mark; blob and mount events are ignored. The handlers (registry-events.commands.ts) deduplicate
 * pushes and deletes durably on the event id (ADR 0016).
 */
@Injectable()
export class RegistryEventProcessor {
  constructor(
    private readonly commands: CommandBus,
    private readonly pulls: PullRecorder,
    private readonly clock: Clock,
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
        at: this.clock.iso(),
      });
      return 'pull-noted';
    }
    // A push without a tag is a platform manifest of an index (pushed by digest) or a blob: nothing to show.
    if (action === 'push' && (!isTaggableManifest(target.mediaType) || !target.tag || !target.digest)) return 'ignored';
    if (action === 'delete' && !target.digest && !target.tag) return 'ignored';
    const out = await this.commands.execute(
      action === 'push'
        ? new RecordRegistryPushCommand(registry, event)
        : new RecordRegistryDeleteCommand(registry, event),
    );
    return out === 'duplicate' ? out : out === null ? 'unchanged' : 'recorded';
  }
}
