import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { planAutoCreate, type ActorRef } from '@portcullis/domain';
import { ReadSide } from '../platform/read-side';
import { CreateNamespaceCommand } from '../namespaces/namespaces.commands';
import { CreateTeamCommand } from '../teams/teams.commands';
import { AclIndex } from '../registry-auth/acl-index';
import type { NamespaceCreator } from '../registry-auth/namespace-creator.port';

/**
 * NamespaceAutoCreate creates, for namespace.auto_create_on_push, the namespaces a token decision found
 * unknown, under the team planAutoCreate chooses, then waits until the ACL index shows them, so the same
 * token can grant the push. Concurrent requests for one namespace share one creation; a refused or failed
 * creation is logged and the caller withholds the grant.
 */
@Injectable()
export class NamespaceAutoCreate implements NamespaceCreator {
  private readonly logger = new Logger('registry-auth');
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly commands: CommandBus,
    private readonly read: ReadSide,
    private readonly index: AclIndex,
  ) {}

  async ensure(actor: ActorRef, namespaces: readonly string[]): Promise<void> {
    await Promise.all(namespaces.map((name) => this.once(actor, name)));
  }

  /** once: a second pusher of the same new namespace waits for the first one's creation, then is decided as usual. */
  private once(actor: ActorRef, name: string): Promise<void> {
    const running = this.inFlight.get(name);
    if (running) return running;
    const created = this.create(actor, name).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, created);
    return created;
  }

  private async create(actor: ActorRef, name: string): Promise<void> {
    try {
      const team = await this.index.read.teamByName(name);
      const plan = planAutoCreate(
        name,
        team && {
          hidden: team['hidden'] === true,
          actorRole: await this.index.read.roleOf(team['id'] as number, actor.id),
        },
      );
      if (plan.kind === 'refuse') {
        this.logger.warn(`namespace.auto_create_on_push: not creating '${name}' for ${actor.username}: ${plan.reason}`);
        return;
      }
      if (plan.kind === 'create-team') {
        const done = await this.commands.execute(
          new CreateTeamCommand(actor, plan.team, `Created on the first push into ${name}`, undefined),
        );
        // CreateNamespace looks the team up in the read models.
        await this.read.waitFor(done.position);
      }
      const done = await this.commands.execute(
        new CreateNamespaceCommand(actor, name, plan.team, 'Created on the first push'),
      );
      await this.read.waitFor(done.position); // covers the ACL index too
      this.logger.log(`namespace.auto_create_on_push: created '${name}' (team '${plan.team}') for ${actor.username}`);
    } catch (error) {
      // A domain refusal (settings), a name taken meanwhile (another replica), a storage failure: no grant.
      this.logger.warn(
        `namespace.auto_create_on_push: creating '${name}' for ${actor.username} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
