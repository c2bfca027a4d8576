import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, SqliteReadStore, type EventStore } from '@portcullis/persistence';
import {
  credentialsProjection,
  namespacesProjection,
  ProjectionRunner,
  registriesProjection,
  teamMembersProjection,
  teamsProjection,
  usersProjection,
  type Projection,
} from '@portcullis/read-models';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import type { CredentialReader } from '../identity/credential-index';
import { ReadSide, type PositionWaiter } from '../platform/read-side';

/**
 * ACL_PROJECTIONS are the read models a token decision reads: the caller's identity (users, and the hashed
 * passwords and application tokens of `credentials`, ADR 0014), registries (by service), namespaces (by
 * name: kind, visibility, team, owner) and team roles by (team, user); teams for namespace auto-creation.
 * The same projections the projector runs, so the index can never disagree with the read models about
 * what an event means.
 */
export const ACL_PROJECTIONS: readonly Projection[] = [
  usersProjection,
  credentialsProjection,
  registriesProjection,
  namespacesProjection,
  teamsProjection,
  teamMembersProjection,
];

/** MEMO_MAX bounds the memo (distinct namespaces and team roles asked for at one position). */
const MEMO_MAX = 10_000;

/**
 * AclIndex is the token path's in-memory copy of the ACL read models (ADR 0008): an in-memory SQLite
 * ReadStore fed by this process's own catch-up subscription to the event store, through the same
 * projections. Token decisions read it, so they cost no shared-store I/O, and its position is exact:
 * the position of the last event applied, which a client's `Portcullis-Min-Position` is compared with.
 * Commands in this process wait for it too (ReadSide.waitFor), so read-your-writes covers docker.
 */
@Injectable()
export class AclIndex implements OnModuleInit, OnModuleDestroy, PositionWaiter {
  private readonly logger = new Logger('acl-index');
  private readonly store = new SqliteReadStore(':memory:');
  private readonly runner: ProjectionRunner;
  /** read is the ReadSide queries over the index (namespaceByName, roleOf, registries, teamByName). */
  readonly read: ReadSide;
  /**
   * credentials is authentication's view of the index (CREDENTIAL_INDEX), memoised like the ACL facts: at a
   * stable position a token request costs map lookups; any event (a revocation among them) drops the memo.
   */
  readonly credentials: CredentialReader = {
    user: (id) => this.facts(`user:${id}`, (r) => r.user(id)),
    userByUsername: (username) => this.facts(`username:${username}`, (r) => r.userByUsername(username)),
    passwordHashOf: (userId) => this.facts(`password:${userId}`, (r) => r.passwordHashOf(userId)),
    credentialByTokenHash: (hash) => this.facts(`token:${hash}`, (r) => r.credentialByTokenHash(hash)),
  };
  private readonly memo = new Map<string, Promise<unknown>>();
  private memoAt: bigint | null = null;
  /** changedAt is the position of the last event an ACL projection applied (it may not be committed yet). */
  private changedAt: bigint | null = null;

  constructor(@Inject(EVENT_STORE) events: EventStore, @Inject(APP_CONFIG) config: AppConfig) {
    // Each projection notes the position of the last event it applied, so the memo outlives the events no ACL
    // read model handles (a push is several repository events, none of which changes a token decision).
    const noting = ACL_PROJECTIONS.map((projection): Projection => ({
      ...projection,
      apply: (event, store) => {
        this.changedAt = event.position;
        return projection.apply(event, store);
      },
    }));
    this.runner = new ProjectionRunner(events, this.store, noting, { logger: this.logger, checkpointsInMemory: true });
    this.read = new ReadSide(this.store, config);
  }

  async onModuleInit(): Promise<void> {
    // Resolves once caught up, so the api never answers a token from an index that has not loaded.
    await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    // Before the event store closes (Lifecycle closes it on application shutdown, which comes later).
    await this.runner.stop();
    await this.store.close();
  }

  /**
   * facts memoises the token path's lookups for as long as no ACL read model changes: between such changes
   * every token reads the same few documents, so they are read once. An applied event that an ACL projection
   * handles (a revocation among them) drops the memo once its batch is committed; while that batch is being
   * written, lookups read the index directly. A lookup started before the drop resolves into the dropped
   * generation. Callers must not mutate what they get.
   */
  facts<T>(key: string, load: (read: ReadSide) => Promise<T>): Promise<T> {
    const at = this.changedAt;
    const position = this.position();
    if (at !== null && (position === null || position < at)) return load(this.read);
    if (at !== this.memoAt || this.memo.size >= MEMO_MAX) {
      this.memo.clear();
      this.memoAt = at;
    }
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (value === undefined) {
      value = load(this.read);
      this.memo.set(key, value);
      // A failed read is not remembered.
      value.catch(() => this.memo.get(key) === value && this.memo.delete(key));
    }
    return value;
  }

  /** position is the global position of the last event the index has applied (null: none yet). */
  position(): bigint | null {
    return this.runner.position();
  }

  /**
   * reach resolves true once the index has applied `position`, or false after `timeoutMs`. In-process
   * appends wake the subscription at once, so this is usually one or two polls.
   */
  async reach(position: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const at = this.position();
      if (at !== null && at >= position) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2, left)));
    }
  }
}
