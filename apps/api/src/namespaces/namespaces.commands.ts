import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  illegalState,
  namespaceDecider,
  namespaceStreamId,
  notFound,
  type ActorRef,
  type NamespaceCommand,
  type NamespaceState,
  type Visibility,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import type { Loaded } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';
import type { Done } from '../platform/event-sourcing';

/** CreateNamespaceCommand creates a team namespace (always private, as in Portus). */
export class CreateNamespaceCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly name: string,
    readonly teamName: string,
    readonly description: string,
  ) {
    super();
  }
}

/** UpdateNamespaceCommand applies Portus's PUT: name, description, team and visibility, each checked on its own. */
export class UpdateNamespaceCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly namespaceId: number,
    readonly change: { name?: string; description?: string; teamName?: string; visibility?: Visibility },
  ) {
    super();
  }
}

/** DeleteNamespaceCommand deletes a team namespace. */
export class DeleteNamespaceCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly namespaceId: number,
  ) {
    super();
  }
}

@CommandHandler(CreateNamespaceCommand)
export class CreateNamespaceHandler implements ICommandHandler<CreateNamespaceCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, name, teamName, description }: CreateNamespaceCommand): Promise<Done> {
    const team = await this.read.teamByName(teamName);
    if (!team || team['hidden'] === true) throw notFound('TEAM.NOT_FOUND', `team '${teamName}' not found`);
    const [registry] = await this.read.registries();
    if (!registry) throw illegalState('REGISTRY.MISSING', 'no registry is configured yet: create one first');
    const teamId = team['id'] as number;
    const meta = this.es.metadataFor(actor);
    const actorRole = await this.read.roleOf(teamId, actor.id);
    const registryId = registry['id'] as number;
    const settings = this.config.settings;
    const build = (id: number): NamespaceCommand => ({
      type: 'CreateNamespace',
      data: {
        id,
        name,
        kind: 'team',
        registryId,
        teamId,
        teamHidden: false,
        ownerUserId: null,
        description,
        actorRole,
        settings,
      },
      metadata: meta,
    });
    const { id, position } = await this.es.create(namespaceDecider, 'namespace', namespaceStreamId, build, [
      ['namespace', name],
    ]);
    return { id, position };
  }
}

@CommandHandler(UpdateNamespaceCommand)
export class UpdateNamespaceHandler implements ICommandHandler<UpdateNamespaceCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async load(id: number): Promise<Loaded<NamespaceState>> {
    const loaded = await this.es.load(namespaceDecider, namespaceStreamId(id));
    if (!loaded.state.exists || loaded.state.deleted) throw notFound('NAMESPACE.NOT_FOUND', 'namespace not found');
    return loaded;
  }

  async execute({ actor, namespaceId, change }: UpdateNamespaceCommand): Promise<Done> {
    const meta = this.es.metadataFor(actor);
    const settings = this.config.settings;
    const stream = namespaceStreamId(namespaceId);
    let position: bigint | null = null;
    const step = async (
      build: (
        state: NamespaceState,
        actorRole: Awaited<ReturnType<ReadSide['roleOf']>>,
      ) => Promise<NamespaceCommand | null>,
    ) => {
      const loaded = await this.load(namespaceId);
      const role = await this.read.roleOf(loaded.state.teamId, actor.id);
      const command = await build(loaded.state, role);
      if (!command) return;
      const out = await this.es.handle(namespaceDecider, stream, command, { loaded });
      position = out.position ?? position;
    };
    if (change.teamName !== undefined) {
      const teamName = change.teamName;
      await step(async (state, actorRole) => {
        const team = await this.read.teamByName(teamName);
        if (!team || (team['hidden'] === true && team['id'] !== state.teamId))
          throw notFound('TEAM.NOT_FOUND', `team '${teamName}' not found`);
        const teamId = team['id'] as number;
        return {
          type: 'ChangeNamespaceTeam',
          data: {
            teamId,
            teamHidden: team['hidden'] === true,
            actorRole,
            actorRoleInNewTeam: await this.read.roleOf(teamId, actor.id),
            settings,
          },
          metadata: meta,
        };
      });
    }
    if (change.visibility !== undefined) {
      const visibility = change.visibility;
      await step(async (_s, actorRole) => ({
        type: 'ChangeNamespaceVisibility',
        data: { visibility, actorRole, settings },
        metadata: meta,
      }));
    }
    if (change.description !== undefined) {
      const description = change.description;
      await step(async (_s, actorRole) => ({
        type: 'ChangeNamespaceDescription',
        data: { description, actorRole, settings },
        metadata: meta,
      }));
    }
    if (change.name !== undefined) {
      const name = change.name;
      await step(async (state, actorRole) => {
        const command: NamespaceCommand = {
          type: 'RenameNamespace',
          data: { name, actorRole, settings },
          metadata: meta,
        };
        if (!namespaceDecider.decide(command, state).length) return null;
        await this.es.reserve('namespace', name, namespaceId, meta);
        const old = state.name;
        const out = await this.es.handle(namespaceDecider, stream, command).catch(async (e) => {
          await this.es.release('namespace', name, namespaceId, meta);
          throw e;
        });
        await this.es.release('namespace', old, namespaceId, meta);
        position = out.position ?? position;
        return null;
      });
    }
    return { id: namespaceId, position };
  }
}

@CommandHandler(DeleteNamespaceCommand)
export class DeleteNamespaceHandler implements ICommandHandler<DeleteNamespaceCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, namespaceId }: DeleteNamespaceCommand): Promise<Done> {
    const meta = this.es.metadataFor(actor);
    const stream = namespaceStreamId(namespaceId);
    const loaded = await this.es.load(namespaceDecider, stream);
    if (!loaded.state.exists || loaded.state.deleted) throw notFound('NAMESPACE.NOT_FOUND', 'namespace not found');
    const actorRole = await this.read.roleOf(loaded.state.teamId, actor.id);
    const out = await this.es.handle(
      namespaceDecider,
      stream,
      { type: 'DeleteNamespace', data: { actorRole, settings: this.config.settings }, metadata: meta },
      { loaded },
    );
    await this.es.release('namespace', loaded.state.name, namespaceId, meta);
    return { id: namespaceId, position: out.position };
  }
}

/** NamespaceCommandHandlers are registered by the namespaces module. */
export const NamespaceCommandHandlers = [CreateNamespaceHandler, UpdateNamespaceHandler, DeleteNamespaceHandler];
