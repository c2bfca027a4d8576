import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  reservationDecider,
  reservationStreamId,
  teamDecider,
  teamStreamId,
  type TeamCommand,
  type TeamRole,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';

/** GroupMember is a directory group member Portcullis knows as an LDAP user. */
export interface GroupMember {
  readonly userId: number;
  readonly admin: boolean;
}

/** CreateGroupTeamCommand creates the team named after an LDAP group; answers its id (null: no admin to own it). */
export class CreateGroupTeamCommand extends Command<number | null> {
  constructor(readonly group: { readonly dn: string; readonly cn: string }) {
    super();
  }
}

/** SyncTeamWithGroupCommand makes a team's synced members those of its LDAP group (the domain decides who). */
export class SyncTeamWithGroupCommand extends Command<{ added: number; removed: number }> {
  constructor(
    readonly teamId: number,
    readonly groupDn: string,
    readonly members: readonly GroupMember[],
    readonly defaultRole: TeamRole,
    readonly removeMembers: boolean,
  ) {
    super();
  }
}

/**
 * CreateGroupTeamHandler: the team is owned by the first admin (admins own every team they are in; the
 * directory, not a person, decides membership); a concurrent creation (another replica, or a read model that
 * lags behind the last run) wins and its team is reused.
 */
@CommandHandler(CreateGroupTeamCommand)
export class CreateGroupTeamHandler implements ICommandHandler<CreateGroupTeamCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ group }: CreateGroupTeamCommand): Promise<number | null> {
    const [ownerId] = (await this.read.enabledAdminIds()).sort((a, b) => a - b);
    if (ownerId === undefined) return null;
    const meta = this.es.metadataFor(null);
    const build = (id: number): TeamCommand => ({
      type: 'CreateTeam',
      data: {
        id,
        name: group.cn,
        description: `Members are synced from the LDAP group ${group.dn}.`,
        kind: 'team',
        ownerId,
        ownerIsAdmin: true,
        settings: this.config.settings,
        cause: { ldapGroup: group.dn },
      },
      metadata: meta,
    });
    try {
      return (await this.es.create(teamDecider, 'team', teamStreamId, build, [['team', group.cn]])).id;
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'TEAM.NAME_TAKEN')) throw e;
      return (await this.es.load(reservationDecider, reservationStreamId('team', group.cn))).state.owner;
    }
  }
}

/** SyncTeamWithGroupHandler runs SyncTeamWithGroup, idempotent, re-decided once on a concurrent change. */
@CommandHandler(SyncTeamWithGroupCommand)
export class SyncTeamWithGroupHandler implements ICommandHandler<SyncTeamWithGroupCommand> {
  constructor(private readonly es: EventSourcing) {}

  async execute(c: SyncTeamWithGroupCommand): Promise<{ added: number; removed: number }> {
    const command: TeamCommand = {
      type: 'SyncTeamWithGroup',
      data: { groupDn: c.groupDn, members: c.members, defaultRole: c.defaultRole, removeMembers: c.removeMembers },
      metadata: this.es.metadataFor(null),
    };
    const out = await this.es.handle(teamDecider, teamStreamId(c.teamId), command, { retryOnConflict: true });
    return {
      added: out.events.filter((e) => e.type === 'TeamMemberAdded').length,
      removed: out.events.filter((e) => e.type === 'TeamMemberRemoved').length,
    };
  }
}

/** GroupSyncCommandHandlers are registered in AppModule (through LdapProviders). */
export const GroupSyncCommandHandlers = [CreateGroupTeamHandler, SyncTeamWithGroupHandler];
