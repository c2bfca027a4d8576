import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { validateTeamName } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig, type LdapConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { LdapDirectory, type DirectoryGroup } from './ldap-directory';
import { CreateGroupTeamCommand, SyncTeamWithGroupCommand, type GroupMember } from './group-sync.commands';

/** GroupSyncReport says what one run did; the events themselves are the record. */
export interface GroupSyncReport {
  groups: number;
  teamsCreated: number;
  added: number;
  removed: number;
  skipped: string[];
}

type Member = GroupMember;

/**
 * LdapGroupSync maps LDAP groups (groupOfNames `member`, groupOfUniqueNames `uniqueMember`) under
 * `ldap.group_base` to teams named after the group's cn, every `ldap.group_sync.interval_seconds`.
 * It runs in the api process, never on the token path: it needs the command side (CreateGroupTeamCommand,
 * SyncTeamWithGroupCommand, ldap/group-sync.commands.ts) and the LDAP configuration, which the projector has neither of, and it is safe to
 * run in several api replicas at once (team names are reserved, and the team decider's sync is
 * idempotent under optimistic concurrency). A team is created for a group only when the group has a
 * member Portcullis knows; its owner is the first admin (admins own every team they are in).
 * Only LDAP users (no local password, not bots) are synced, so a local account is never given team
 * rights by a same-named directory entry. A failed run changes nothing and is logged.
 */
@Injectable()
export class LdapGroupSync implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ldap-group-sync');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<GroupSyncReport> | null = null;
  private stopped = false;

  constructor(
    private readonly directory: LdapDirectory,
    private readonly commands: CommandBus,
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** settings: the group sync configuration with its base, or null when LDAP or the sync is off. */
  private get settings(): (LdapConfig['groupSync'] & { groupBase: string }) | null {
    const sync = this.config.ldap?.groupSync;
    return sync?.enabled && sync.groupBase ? { ...sync, groupBase: sync.groupBase } : null;
  }

  onApplicationBootstrap() {
    const sync = this.settings;
    if (!sync) return;
    // The first run waits one interval: start-up stays independent of the directory.
    const every = sync.intervalSeconds * 1000;
    this.timer = setInterval(() => {
      this.runOnce().catch((e) => this.logger.warn(`group sync failed: ${(e as Error).message}`));
    }, every);
    this.timer.unref();
  }

  async beforeApplicationShutdown() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** runOnce syncs every group now; a run already under way is joined, not doubled. */
  runOnce(): Promise<GroupSyncReport> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<GroupSyncReport> {
    const sync = this.settings;
    if (!sync)
      throw new Error('LDAP group sync is not configured (ldap.enabled, ldap.group_sync.enabled, ldap.group_base)');
    const [groups, uidByDn] = await Promise.all([this.directory.groups(sync.groupBase), this.directory.users()]);
    const report: GroupSyncReport = { groups: groups.length, teamsCreated: 0, added: 0, removed: 0, skipped: [] };
    const members = new MemberLookup(this.read);
    for (const group of groups) {
      if (this.stopped) break;
      try {
        await this.syncGroup(group, sync, uidByDn, members, report);
      } catch (e) {
        report.skipped.push(`${group.dn}: ${(e as Error).message}`);
      }
    }
    for (const s of report.skipped) this.logger.warn(`skipped ${s}`);
    return report;
  }

  private async syncGroup(
    group: DirectoryGroup,
    sync: LdapConfig['groupSync'],
    uidByDn: ReadonlyMap<string, string>,
    lookup: MemberLookup,
    report: GroupSyncReport,
  ): Promise<void> {
    const uids = group.members.map((dn) => uidByDn.get(dn)).filter((u): u is string => u !== undefined);
    const members = (await Promise.all(uids.map((u) => lookup.member(u)))).filter((m): m is Member => m !== null);
    let teamId = ((await this.read.teamByName(group.cn))?.['id'] as number | undefined) ?? null;
    if (teamId === null) {
      if (members.length === 0) return;
      const problems = validateTeamName(group.cn);
      if (problems.length) throw new Error(`cn is not a valid team name (${problems[0]})`);
      teamId = await this.commands.execute(new CreateGroupTeamCommand({ dn: group.dn, cn: group.cn }));
      if (teamId === null) return;
      report.teamsCreated++;
    }
    const team = await this.read.team(teamId);
    if (team && team['hidden'] === true) throw new Error(`team ${group.cn} is a hidden team`);
    const out = await this.commands.execute(
      new SyncTeamWithGroupCommand(teamId, group.dn, members, sync.defaultRole, sync.removeMembers),
    );
    report.added += out.added;
    report.removed += out.removed;
  }
}

/** MemberLookup resolves directory uids to LDAP-backed Portcullis users, once per run. */
class MemberLookup {
  private readonly cache = new Map<string, Promise<Member | null>>();

  constructor(private readonly read: ReadSide) {}

  member(uid: string): Promise<Member | null> {
    let found = this.cache.get(uid);
    if (!found) {
      found = this.resolve(uid);
      this.cache.set(uid, found);
    }
    return found;
  }

  private async resolve(uid: string): Promise<Member | null> {
    const user = await this.read.userByUsername(uid);
    if (!user || user['bot'] === true) return null;
    const id = user['id'] as number;
    if ((await this.read.passwordHashOf(id)) !== null) return null;
    return { userId: id, admin: user['admin'] === true };
  }
}
