import { Injectable } from '@nestjs/common';
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
  type Settings,
} from '@portcullis/domain';
import { EventSourcing } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';

const SYSTEM_TRIES = 50;

/**
 * Provisioning creates what Portus creates behind the user's back: each user's hidden personal team
 * and private personal namespace, and the registry's global team and public global namespace.
 * Names are claimed through reservation streams; on a clash the next candidate is tried
 * (`alice`, `alice0`, `alice1`, … as Portus's make_valid does).
 */
@Injectable()
export class Provisioning {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
  ) {}

  private async claim(
    kind: 'team' | 'namespace',
    base: string,
    ownerId: number,
    meta: CommandMetadata,
  ): Promise<string> {
    for (let i = -1; i < SYSTEM_TRIES; i++) {
      const candidate = i < 0 ? base : `${base}${i}`;
      try {
        await this.es.reserve(kind, candidate, ownerId, meta);
        return candidate;
      } catch (e) {
        if (!(e instanceof DomainError && e.category === 'conflict')) throw e;
      }
    }
    throw new Error(`could not find a free ${kind} name for ${base}`);
  }

  /** personalNamespace gives a non-bot user a hidden team and a private namespace; returns the last position. */
  async personalNamespace(
    user: { id: number; username: string },
    registryId: number,
    settings: Settings,
    meta: CommandMetadata,
  ): Promise<bigint | null> {
    if (await this.read.personalNamespaceOf(user.id)) return null;
    const teamId = await this.es.allocateId('team');
    const teamName = await this.claim('team', user.username, teamId, meta);
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
    const nsName = await this.claim('namespace', base, nsId, meta);
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

  /** globalNamespace creates the registry's global team (owners: the admins) and its public namespace. */
  async globalNamespace(
    registryId: number,
    adminIds: number[],
    settings: Settings,
    meta: CommandMetadata,
  ): Promise<bigint | null> {
    const teamId = await this.es.allocateId('team');
    const teamName = await this.claim('team', globalTeamName(registryId), teamId, meta);
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
    const nsName = await this.claim('namespace', globalNamespaceName(registryId), nsId, meta);
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

  /** syncAdmin keeps the global team's owners equal to the admins (Portus's toggle_admin!). */
  async syncAdmin(userId: number, admin: boolean, meta: CommandMetadata): Promise<bigint | null> {
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
