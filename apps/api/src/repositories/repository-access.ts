import { Inject, Injectable } from '@nestjs/common';
import {
  forbidden,
  namespaceCanDelete,
  namespaceCanPull,
  notFound,
  type ActorRef,
  type NamespaceKind,
  type TeamRole,
  type Visibility,
} from '@portcullis/domain';
import type { Doc, Filter } from '@portcullis/persistence';
import { visibleRepositoriesFilter } from '@portcullis/read-models';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { requireUser } from '../platform/actor';

type D = Doc & Record<string, unknown>;

/** Scoped is a repository with its namespace and the actor's role in the namespace's team. */
export interface Scoped {
  repository: D;
  namespace: D | null;
  role: TeamRole | null;
}

/**
 * RepositoryAccess applies portus-reference §2.3 to repositories and tags: show? = the namespace's pull?,
 * update? = admin or owner, destroy? = namespaceCanDelete. A repository in a namespace Portcullis does not
 * know (pushed before the namespace existed) is visible to admins only.
 */
@Injectable()
export class RepositoryAccess {
  constructor(
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async scoped(repository: D | null, actor: ActorRef | null): Promise<Scoped> {
    if (!repository) throw notFound('REPOSITORY.NOT_FOUND', 'repository not found');
    const nsId = repository['namespace_id'] as number | null;
    const namespace = nsId === null ? null : await this.read.namespace(nsId);
    const role = actor && namespace ? await this.read.roleOf(namespace['team_id'] as number, actor.id) : null;
    return { repository, namespace, role };
  }

  canShow(s: Scoped, actor: ActorRef | null): boolean {
    if (!s.namespace) return actor?.admin === true;
    const ns = { visibility: s.namespace['visibility'] as Visibility, kind: s.namespace['kind'] as NamespaceKind };
    return namespaceCanPull(ns, actor, s.role);
  }

  requireShow(s: Scoped, actor: ActorRef | null): void {
    if (this.canShow(s, actor)) return;
    requireUser(actor);
    throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
  }

  canDestroy(s: Scoped, actor: ActorRef | null): boolean {
    return namespaceCanDelete(actor, s.role, this.config.settings);
  }

  requireDestroy(s: Scoped, actor: ActorRef | null): void {
    requireUser(actor);
    if (!this.canDestroy(s, actor)) throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
  }

  /**
   * listFilter is Portus's RepositoryPolicy scope, the same as show? and search: admin all; users public and
   * protected namespaces and their teams'.
   */
  listFilter(actor: ActorRef): Promise<Filter> {
    return visibleRepositoriesFilter(this.read.store, actor);
  }
}
