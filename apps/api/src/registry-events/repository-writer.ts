import { Injectable } from '@nestjs/common';
import {
  repositoryDecider,
  repositoryStreamId,
  splitRepositoryName,
  type ActorRef,
  type CommandMetadata,
  type NewRepository,
  type RegistryActor,
  type RepositoryCommand,
  type RepositoryState,
} from '@portcullis/domain';
import { ConcurrencyError, EventSourcing, type Outcome } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';
import { AclIndex } from '../registry-auth/acl-index';

const ATTEMPTS = 5;

/**
 * RepositoryWriter is the load → decide → append loop for repository streams, shared by the command handlers
 * that write them (registry-events.commands.ts: notifications, pulls, the catalog reconcile;
 * repositories.commands.ts: the API's description changes and deletes), and only by them (the `api/write-door`
 * lint rule). It resolves what the pure decider cannot: the namespace and user behind registry names, and fresh
 * numeric ids (only when the state needs them). Registry events for one repository can race (pushes of two
 * tags), so a conflict re-decides.
 */
@Injectable()
export class RepositoryWriter {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly index: AclIndex,
  ) {}

  /**
   * resolve maps a registry name to its namespace (`a/b` → a, `a/b/c` → a, `b` → the global namespace).
   * Namespaces are read as the token path reads them, from this process's ACL index (memoised: every push to
   * a namespace asks for the same document), and from the shared read models only when the index does not
   * know the name (created on another replica, not yet in this index), like credentials (ADR 0014).
   */
  async resolve(registryId: number, fullName: string, state: RepositoryState): Promise<NewRepository> {
    const { namespace, name } = splitRepositoryName(fullName);
    const ns =
      namespace === null
        ? ((await this.index.facts(`global-namespace:${registryId}`, (r) => globalNamespace(r, registryId))) ??
          (await globalNamespace(this.read, registryId)))
        : ((await this.index.facts(`ns:${namespace}`, (r) => r.namespaceByName(namespace))) ??
          (await this.read.namespaceByName(namespace)));
    return {
      id: state.exists ? state.id : await this.es.allocateId('repository'),
      registryId,
      fullName,
      name,
      namespaceId: (ns?.['id'] as number | undefined) ?? null,
      namespaceName: namespace ?? (ns?.['name'] as string | undefined) ?? null,
    };
  }

  /** actor maps the registry's `actor.name` to a Portcullis user when one has that name (index first, as above). */
  async actor(username: string | undefined): Promise<RegistryActor> {
    const name = username ?? '';
    const user = name
      ? ((await this.index.credentials.userByUsername(name)) ?? (await this.read.userByUsername(name)))
      : null;
    return { userId: (user?.['id'] as number | undefined) ?? null, username: name };
  }

  /** metadata carries the registry's user as the event actor when Portcullis knows them. */
  metadata(actor: RegistryActor | null): CommandMetadata {
    return this.metadataFor(
      actor === null || actor.userId === null ? null : { id: actor.userId, username: actor.username, admin: false },
    );
  }

  /** metadataFor stamps a command by a Portcullis user (the API's writes), as every handler does. */
  metadataFor(actor: ActorRef | null): CommandMetadata {
    return this.es.metadataFor(actor);
  }

  /** tagId allocates an id for a tag the state does not have yet (0 = not needed). */
  async tagId(state: RepositoryState, tag: string): Promise<number> {
    return state.exists && state.tags[tag] ? 0 : this.es.allocateId('tag');
  }

  load(registryId: number, fullName: string) {
    return this.es.load(repositoryDecider, repositoryStreamId(registryId, fullName));
  }

  /** run builds a command from the current state and appends its events, re-deciding on a conflict. */
  async run(
    registryId: number,
    fullName: string,
    build: (state: RepositoryState) => Promise<RepositoryCommand | null>,
  ): Promise<Outcome & { state: RepositoryState }> {
    const stream = repositoryStreamId(registryId, fullName);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.es.load(repositoryDecider, stream);
      const command = await build(loaded.state);
      if (command === null) return { events: [], position: null, state: loaded.state };
      try {
        return await this.es.handle(repositoryDecider, stream, command, { loaded });
      } catch (e) {
        if (!(e instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }
}

function globalNamespace(read: ReadSide, registryId: number) {
  return read.store.collection('namespaces').findOne({ kind: 'global', registry_id: registryId });
}
