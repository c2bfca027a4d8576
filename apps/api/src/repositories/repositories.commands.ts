import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { illegalState, tagsWithDigest, type ActorRef, type TeamRole } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { RegistryCallError, RegistryClient } from '../registry-events/registry-client';
import { RepositoryWriter } from '../registry-events/repository-writer';

/** DeletedTags says what a delete removed: tags share a manifest, so deleting one deletes them all. */
export interface DeletedTags {
  position: bigint | null;
  digests: Array<{ digest: string; tags: string[] }>;
  repository_deleted: boolean;
}

/** ChangeRepositoryDescriptionCommand is Portus's PUT /repositories/:id. */
export class ChangeRepositoryDescriptionCommand extends Command<{ position: bigint | null }> {
  constructor(
    readonly actor: ActorRef,
    readonly registryId: number,
    readonly fullName: string,
    readonly description: string,
    readonly actorRole: TeamRole | null,
  ) {
    super();
  }
}

/** DeleteImagesCommand deletes manifests in the registry, then records it (tag delete: one digest; repository: all). */
export class DeleteImagesCommand extends Command<DeletedTags> {
  constructor(
    readonly actor: ActorRef,
    readonly registry: { id: number; hostname: string; useSsl: boolean },
    readonly fullName: string,
    /** digests: null = every digest of the repository */
    readonly digests: string[] | null,
  ) {
    super();
  }
}

@CommandHandler(ChangeRepositoryDescriptionCommand)
export class ChangeRepositoryDescriptionHandler implements ICommandHandler<ChangeRepositoryDescriptionCommand> {
  constructor(
    private readonly writer: RepositoryWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(c: ChangeRepositoryDescriptionCommand) {
    const metadata = this.writer.metadataFor(c.actor);
    const out = await this.writer.run(c.registryId, c.fullName, async () => ({
      type: 'ChangeRepositoryDescription',
      data: { description: c.description, actorRole: c.actorRole, settings: this.config.settings },
      metadata,
    }));
    return { position: out.position };
  }
}

/**
 * DeleteImagesHandler deletes through the registry API first (DELETE /v2/<name>/manifests/<digest>, as
 * Portcullis itself) and records the deletion only when the registry agrees, so Portcullis never shows
 * an image as gone that the registry still serves. The registry's own delete notifications arrive later
 * and find nothing left to do.
 */
@CommandHandler(DeleteImagesCommand)
export class DeleteImagesHandler implements ICommandHandler<DeleteImagesCommand> {
  constructor(
    private readonly writer: RepositoryWriter,
    private readonly client: RegistryClient,
    private readonly read: ReadSide,
  ) {}

  async execute({ actor, registry, fullName, digests }: DeleteImagesCommand): Promise<DeletedTags> {
    const { state } = await this.writer.load(registry.id, fullName);
    const all = [...new Set(Object.values(state.tags).map((t) => t.digest))].sort();
    const targets = digests ?? all;
    const result: DeletedTags = { position: null, digests: [], repository_deleted: false };
    const by = { userId: actor.id, username: actor.username };
    const metadata = this.writer.metadataFor(actor);
    for (const digest of targets) {
      try {
        await this.client.deleteManifest(registry, fullName, digest);
      } catch (e) {
        const reason = e instanceof RegistryCallError ? e.message : String(e);
        throw illegalState('REGISTRY.DELETE_FAILED', `Could not remove ${fullName}@${digest}: ${reason}`);
      }
      const out = await this.writer.run(registry.id, fullName, async () => ({
        type: 'DeleteManifest',
        data: { digest, by, registryEventId: null },
        metadata,
      }));
      result.position = out.position ?? result.position;
      result.digests.push({ digest, tags: tagsWithDigest(state, digest) });
      result.repository_deleted = result.repository_deleted || out.events.some((e) => e.type === 'RepositoryDeleted');
    }
    await this.read.waitFor(result.position);
    return result;
  }
}

export const RepositoryCommandHandlers = [ChangeRepositoryDescriptionHandler, DeleteImagesHandler];
