import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { READ_STORE, type Doc, type Filter, type ReadStore, type SortSpec } from '@portcullis/persistence';
import { allProjections, waitForPosition } from '@portcullis/read-models';
import { ActorRef, TeamRole } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';

/** Page is one page of a list, with the total for Portus's X-Total headers. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

/** PageRequest is Portus's list paging after validation. */
export interface PageRequest {
  page?: number;
  perPage?: number;
  sortAttr?: string;
  sortOrder?: string;
  all?: boolean;
  search?: string;
}

type D = Doc & Record<string, unknown>;

/** PositionWaiter is another copy of read models in this process that a read-your-writes wait must cover too. */
export interface PositionWaiter {
  reach(position: bigint, timeoutMs: number): Promise<boolean>;
}

/** POSITION_WAITER is the DI token of the PositionWaiter (the token path's ACL index). */
export const POSITION_WAITER = Symbol('POSITION_WAITER');

/**
 * ReadSide is the api's only way to read: queries over the read models, and the wait that gives
 * read-your-writes (architecture rule 5). Sort fields are allow-listed per collection; an unknown
 * `sort_attr` falls back to `id`, as in Portus.
 */
@Injectable()
export class ReadSide {
  private readonly logger = new Logger('read-side');

  constructor(
    @Inject(READ_STORE) readonly store: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(POSITION_WAITER) private readonly alsoWait?: PositionWaiter,
  ) {}

  /**
   * waitFor returns once every projection has applied `position` (bounded by read_your_writes.timeout_ms),
   * and the ACL index too, so a `docker push` right after an API change in this replica sees the change.
   */
  async waitFor(position: bigint | null | undefined): Promise<void> {
    if (position === null || position === undefined) return;
    // On timeout the change is committed all the same; the answer may then lag, which is logged.
    const timeout = this.config.readYourWritesTimeoutMs;
    const [stored, indexed] = await Promise.all([
      waitForPosition(this.store, allProjections, position, timeout),
      this.alsoWait ? this.alsoWait.reach(position, timeout) : true,
    ]);
    const caughtUp = stored && indexed;
    if (!caughtUp)
      this.logger.warn(
        `read models did not reach position ${position} within ${this.config.readYourWritesTimeoutMs} ms`,
      );
  }

  async page<T extends D>(
    collection: string,
    filter: Filter,
    req: PageRequest,
    sortable: readonly string[],
  ): Promise<Page<T>> {
    const perPage = req.all ? 100_000 : (req.perPage ?? this.config.perPage);
    const page = req.all ? 1 : (req.page ?? 1);
    const attr = req.sortAttr && sortable.includes(req.sortAttr) ? req.sortAttr : 'id';
    const dir: 1 | -1 = req.sortOrder === 'asc' || !req.sortOrder ? 1 : -1;
    const sort: SortSpec =
      attr === 'id'
        ? [['id', dir]]
        : [
            [attr, dir],
            ['id', 1],
          ];
    const col = this.store.collection<T>(collection);
    const [items, total] = await Promise.all([
      col.find(filter, { sort, skip: (page - 1) * perPage, limit: perPage }),
      col.count(filter),
    ]);
    return { items, total, page, perPage };
  }

  // ---- users

  user(id: number) {
    return this.store.collection<D>('users').get(String(id));
  }
  userByUsername(username: string) {
    return this.store.collection<D>('users').findOne({ username });
  }
  userByEmail(email: string) {
    return this.store.collection<D>('users').findOne({ email });
  }
  countUsers() {
    return this.store.collection('users').count();
  }
  listUsers(req: PageRequest) {
    const filter: Filter = req.search
      ? { $or: [{ username: { $contains: req.search } }, { email: { $contains: req.search } }] }
      : {};
    return this.page<D>('users', filter, req, ['username', 'email', 'created_at', 'updated_at', 'admin', 'enabled']);
  }
  async enabledAdminIds(): Promise<number[]> {
    const admins = await this.store.collection<D>('users').find({ admin: true, enabled: true });
    return admins.map((u) => u['id'] as number);
  }
  async allUserIds(): Promise<D[]> {
    return this.store.collection<D>('users').find({}, { sort: [['id', 1]] });
  }

  // ---- credentials and tokens

  credentialByTokenHash(hash: string) {
    return this.store.collection<D>('credentials').get(`token:${hash}`);
  }
  async passwordHashOf(userId: number): Promise<string | null> {
    const doc = await this.store.collection<D>('credentials').get(`password:${userId}`);
    return (doc?.['passwordHash'] as string | undefined) ?? null;
  }
  tokensOf(userId: number) {
    return this.store.collection<D>('application_tokens').find({ user_id: userId }, { sort: [['id', 1]] });
  }
  token(id: number) {
    return this.store.collection<D>('application_tokens').get(String(id));
  }

  // ---- teams

  team(id: number) {
    return this.store.collection<D>('teams').get(String(id));
  }
  teamByName(name: string) {
    return this.store.collection<D>('teams').findOne({ name });
  }
  async teamIdsOf(userId: number): Promise<number[]> {
    const rows = await this.store.collection<D>('team_members').find({ user_id: userId });
    return rows.map((r) => r['team_id'] as number);
  }
  listTeams(actor: ActorRef, teamIds: number[], req: PageRequest) {
    const filter: Filter = actor.admin ? { hidden: false } : { hidden: false, id: { $in: teamIds } };
    if (req.search) filter['name'] = { $contains: req.search };
    return this.page<D>('teams', filter, req, ['name', 'created_at', 'updated_at']);
  }
  async roleOf(teamId: number, userId: number): Promise<TeamRole | null> {
    const row = await this.store.collection<D>('team_members').get(`${teamId}:${userId}`);
    return (row?.['role'] as TeamRole | undefined) ?? null;
  }
  members(teamId: number) {
    return this.store.collection<D>('team_members').find({ team_id: teamId }, { sort: [['user_id', 1]] });
  }
  countMembers(teamId: number) {
    return this.store.collection('team_members').count({ team_id: teamId });
  }

  // ---- namespaces

  namespace(id: number) {
    return this.store.collection<D>('namespaces').get(String(id));
  }
  namespaceByName(name: string) {
    return this.store.collection<D>('namespaces').findOne({ name });
  }
  namespacesOfTeam(teamId: number) {
    return this.store.collection<D>('namespaces').find({ team_id: teamId }, { sort: [['id', 1]] });
  }
  personalNamespaceOf(userId: number) {
    return this.store.collection<D>('namespaces').findOne({ kind: 'personal', owner_user_id: userId });
  }
  /** listNamespaces is Portus's scope: admin all; users public + protected + their teams'; anonymous public. */
  listNamespaces(actor: ActorRef | null, teamIds: number[], req: PageRequest) {
    let filter: Filter;
    if (actor?.admin) filter = {};
    else if (actor) filter = { $or: [{ visibility: { $in: ['public', 'protected'] } }, { team_id: { $in: teamIds } }] };
    else filter = { visibility: 'public' };
    if (req.search) filter = { ...filter, name: { $contains: req.search } };
    return this.page<D>('namespaces', filter, req, ['name', 'created_at', 'updated_at', 'visibility']);
  }

  // ---- registries

  registries() {
    return this.store.collection<D>('registries').find({}, { sort: [['id', 1]] });
  }
  registry(id: number) {
    return this.store.collection<D>('registries').get(String(id));
  }
  /** repositoryCount: the repositories read model arrives with registry notifications; absent = 0. */
  repositoryCount(registryId: number) {
    return this.store.collection('repositories').count({ registry_id: registryId });
  }
}
