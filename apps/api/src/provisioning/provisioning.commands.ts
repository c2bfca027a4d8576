import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  globalNamespaceName,
  globalTeamName,
  makeValidNamespaceName,
  namespaceDecider,
  namespaceStreamId,
  personalNamespaceDescription,
  teamDecider,
  teamStreamId,
  DomainError,
  type CommandMetadata,
  type NamespaceCommand,
  type TeamCommand,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';

const SYSTEM_TRIES = 50;

/*
 * Provisioning creates what Portus creates behind the user's back: each user's hidden personal team and private
 * personal namespace, and the registry's global team and public global namespace, and keeps the global teams'
 * owners equal to the admins. Each is a step another command hands on through the CommandBus with its own
 * metadata (same time, actor and correlation id), so the step is data a process manager can re-issue (issue 18).
 * Names are claimed through reservation streams; on a clash the next candidate is tried (`alice`, `alice0`,
 * `alice1`, … as Portus's make_valid does).
 */

/** ProvisionPersonalNamespaceCommand gives a non-bot user a hidden team and a private namespace (none if it has one). */
export class ProvisionPersonalNamespaceCommand extends Command<bigint | null> {
  constructor(
    readonly user: { readonly id: number; readonly username: string },
    readonly registryId: number,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** ProvisionGlobalNamespaceCommand creates a registry's global team (owners: the admins) and its public namespace. */
export class ProvisionGlobalNamespaceCommand extends Command<bigint | null> {
  constructor(
    readonly registryId: number,
    readonly adminIds: readonly number[],
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** SyncAdminTeamsCommand keeps the global teams' owners equal to the admins (Portus's toggle_admin!). */
export class SyncAdminTeamsCommand extends Command<bigint | null> {
  constructor(
    readonly userId: number,
    readonly admin: boolean,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** claim reserves `base`, or the first free `base<n>`, for `ownerId`. */
async function claim(
  es: EventSourcing,
  kind: 'team' | 'namespace',
  base: string,
  ownerId: number,
  meta: CommandMetadata,
): Promise<string> {
  for (let i = -1; i < SYSTEM_TRIES; i++) {
    const candidate = i < 0 ? base : `${base}${i}`;
    try {
      await es.reserve(kind, candidate, ownerId, meta);
      return candidate;
    } catch (e) {
      if (!(e instanceof DomainError && e.category === 'conflict')) throw e;
    }
  }
  throw new Error(`could not find a free ${kind} name for ${base}`);
}

@CommandHandler(ProvisionPersonalNamespaceCommand)
export class ProvisionPersonalNamespaceHandler implements ICommandHandler<ProvisionPersonalNamespaceCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ user, registryId, metadata: meta }: ProvisionPersonalNamespaceCommand): Promise<bigint | null> {
    if (await this.read.personalNamespaceOf(user.id)) return null;
    const settings = this.config.settings;
    const teamId = await this.es.allocateId('team');
    const teamName = await claim(this.es, 'team', user.username, teamId, meta);
    await this.es.handle(teamDecider, teamStreamId(teamId), {
      type: 'CreateTeam',
      data: {
        id: teamId,
        name: teamName,
        description: '',
        kind: 'personal',
        ownerId: user.id,
        ownerIsAdmin: false,
        settings,
      },
      metadata: meta,
    } as TeamCommand);
    const nsId = await this.es.allocateId('namespace');
    const taken = new Set<string>();
    const base = makeValidNamespaceName(user.username, (n) => taken.has(n));
    const nsName = await claim(this.es, 'namespace', base, nsId, meta);
    const out = await this.es.handle(namespaceDecider, namespaceStreamId(nsId), {
      type: 'CreateNamespace',
      data: {
        id: nsId,
        name: nsName,
        kind: 'personal',
        registryId,
        teamId,
        teamHidden: true,
        ownerUserId: user.id,
        description: personalNamespaceDescription(user.username),
        actorRole: 'owner',
        settings,
      },
      metadata: meta,
    } as NamespaceCommand);
    return out.position;
  }
}

@CommandHandler(ProvisionGlobalNamespaceCommand)
export class ProvisionGlobalNamespaceHandler implements ICommandHandler<ProvisionGlobalNamespaceCommand> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ registryId, adminIds, metadata: meta }: ProvisionGlobalNamespaceCommand): Promise<bigint | null> {
    const settings = this.config.settings;
    const teamId = await this.es.allocateId('team');
    const teamName = await claim(this.es, 'team', globalTeamName(registryId), teamId, meta);
    const [first, ...rest] = adminIds;
    await this.es.handle(teamDecider, teamStreamId(teamId), {
      type: 'CreateTeam',
      data: {
        id: teamId,
        name: teamName,
        description: '',
        kind: 'global',
        ownerId: first,
        ownerIsAdmin: true,
        settings,
      },
      metadata: meta,
    } as TeamCommand);
    for (const id of rest) {
      await this.es.handle(teamDecider, teamStreamId(teamId), {
        type: 'SyncAdminMembership',
        data: { userId: id, admin: true },
        metadata: meta,
      } as TeamCommand);
    }
    const nsId = await this.es.allocateId('namespace');
    const nsName = await claim(this.es, 'namespace', globalNamespaceName(registryId), nsId, meta);
    const out = await this.es.handle(namespaceDecider, namespaceStreamId(nsId), {
      type: 'CreateNamespace',
      data: {
        id: nsId,
        name: nsName,
        kind: 'global',
        registryId,
        teamId,
        teamHidden: true,
        ownerUserId: null,
        description: '',
        actorRole: 'owner',
        settings,
      },
      metadata: meta,
    } as NamespaceCommand);
    return out.position;
  }
}

@CommandHandler(SyncAdminTeamsCommand)
export class SyncAdminTeamsHandler implements ICommandHandler<SyncAdminTeamsCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
  ) {}

  async execute({ userId, admin, metadata: meta }: SyncAdminTeamsCommand): Promise<bigint | null> {
    let last: bigint | null = null;
    const teams = await this.read.store.collection('teams').find({ kind: 'global' });
    const memberOf = admin ? await this.read.teamIdsOf(userId) : [];
    const targets = new Set<number>([...teams.map((t) => t['id'] as number), ...memberOf]);
    for (const teamId of targets) {
      const out = await this.es.handle(
        teamDecider,
        teamStreamId(teamId),
        { type: 'SyncAdminMembership', data: { userId, admin }, metadata: meta } as TeamCommand,
        {
          retryOnConflict: true,
        },
      );
      last = out.position ?? last;
    }
    return last;
  }
}

/** ProvisioningCommandHandlers are registered in AppModule (through ProvisioningProviders). */
export const ProvisioningCommandHandlers = [
  ProvisionPersonalNamespaceHandler,
  ProvisionGlobalNamespaceHandler,
  SyncAdminTeamsHandler,
];
