import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  notFound,
  teamDecider,
  teamStreamId,
  type ActorRef,
  type TeamCommand,
  type TeamRole,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';
import type { Done } from '../platform/event-sourcing';

/** CreateTeamCommand creates a user team; the creator (or owner_id, admins only) becomes its owner. */
export class CreateTeamCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly name: string,
    readonly description: string,
    readonly ownerId: number | undefined,
  ) {
    super();
  }
}

/** TeamChangeCommand is every change to an existing team. */
export class TeamChangeCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly teamId: number,
    readonly change:
      | { type: 'Rename'; name: string }
      | { type: 'Describe'; description: string }
      | { type: 'AddMember'; username: string; role: TeamRole }
      | { type: 'ChangeRole'; userId: number; role: TeamRole }
      | { type: 'RemoveMember'; userId: number },
  ) {
    super();
  }
}

@CommandHandler(CreateTeamCommand)
export class CreateTeamHandler implements ICommandHandler<CreateTeamCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, name, description, ownerId }: CreateTeamCommand): Promise<Done> {
    const owner = ownerId ?? actor.id;
    const ownerDoc = await this.read.user(owner);
    if (!ownerDoc) throw notFound('USER.NOT_FOUND', 'owner not found');
    const settings = this.config.settings;
    const ownerIsAdmin = ownerDoc['admin'] === true;
    const build = (id: number): TeamCommand => ({
      type: 'CreateTeam',
      data: { id, name, description, kind: 'team', ownerId: owner, ownerIsAdmin, settings },
      metadata: this.es.metadataFor(actor),
    });
    const { id, position } = await this.es.create(teamDecider, 'team', teamStreamId, build, [['team', name]]);
    return { id, position };
  }
}

@CommandHandler(TeamChangeCommand)
export class TeamChangeHandler implements ICommandHandler<TeamChangeCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, teamId, change }: TeamChangeCommand): Promise<Done> {
    const meta = this.es.metadataFor(actor);
    const settings = this.config.settings;
    const stream = teamStreamId(teamId);
    const loaded = await this.es.load(teamDecider, stream);
    if (!loaded.state.exists) throw notFound('TEAM.NOT_FOUND', 'team not found');
    const handle = (command: TeamCommand) => this.es.handle(teamDecider, stream, command, { loaded });
    switch (change.type) {
      case 'Rename': {
        const command: TeamCommand = { type: 'RenameTeam', data: { name: change.name, settings }, metadata: meta };
        if (!teamDecider.decide(command, loaded.state).length) return { id: teamId, position: null };
        await this.es.reserve('team', change.name, teamId, meta);
        const out = await handle(command).catch(async (e) => {
          await this.es.release('team', change.name, teamId, meta);
          throw e;
        });
        await this.es.release('team', loaded.state.name, teamId, meta);
        return { id: teamId, position: out.position };
      }
      case 'Describe':
        return {
          id: teamId,
          position: (
            await handle({ type: 'DescribeTeam', data: { description: change.description, settings }, metadata: meta })
          ).position,
        };
      case 'AddMember': {
        const user = await this.read.userByUsername(change.username);
        if (!user) throw notFound('USER.NOT_FOUND', `user '${change.username}' not found`);
        const out = await handle({
          type: 'AddTeamMember',
          data: { userId: user['id'] as number, role: change.role, userIsAdmin: user['admin'] === true, settings },
          metadata: meta,
        });
        return { id: user['id'] as number, position: out.position };
      }
      case 'ChangeRole': {
        const user = await this.read.user(change.userId);
        const out = await handle({
          type: 'ChangeTeamMemberRole',
          data: { userId: change.userId, role: change.role, userIsAdmin: user?.['admin'] === true },
          metadata: meta,
        });
        return { id: change.userId, position: out.position };
      }
      case 'RemoveMember':
        return {
          id: change.userId,
          position: (await handle({ type: 'RemoveTeamMember', data: { userId: change.userId }, metadata: meta }))
            .position,
        };
    }
  }
}

/** TeamCommandHandlers are registered by the teams module. */
export const TeamCommandHandlers = [CreateTeamHandler, TeamChangeHandler];
