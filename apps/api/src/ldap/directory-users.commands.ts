import { Inject, Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  reservationDecider,
  reservationStreamId,
  userDecider,
  userStreamId,
  validateEmail,
  type UserCommand,
} from '@portcullis/domain';
import { NO_STREAM } from '@portcullis/persistence';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';
import { ProvisionPersonalNamespaceCommand, SyncAdminTeamsCommand } from '../provisioning/provisioning.commands';
import type { DirectoryUser } from './ldap-directory';
import { guessEmail } from './ldap-syntax';

const isTaken = (e: unknown, kind: string) => e instanceof DomainError && e.code === `${kind.toUpperCase()}.NAME_TAKEN`;

/**
 * EnsureDirectoryUserCommand asks for the Portcullis user of a directory entry that just bound: its id, created
 * on this first login if needed, or null when refused (a local account holds the name).
 */
export class EnsureDirectoryUserCommand extends Command<number | null> {
  constructor(readonly entry: DirectoryUser) {
    super();
  }
}

/**
 * EnsureDirectoryUserHandler creates the Portcullis user on a first successful LDAP login, as Portus did: no
 * local password, an email guessed when `guess_email` is on (left empty when taken), admin when the entry is
 * under `admin_base` or this is the first user, and a personal namespace. It is bounded and idempotent:
 * two first logins at once race on the username reservation stream; the loser reads the winner's id
 * from that stream (the event store, not a read model), so both answer with the same user.
 */
@CommandHandler(EnsureDirectoryUserCommand)
export class EnsureDirectoryUserHandler implements ICommandHandler<EnsureDirectoryUserCommand> {
  private readonly logger = new Logger('ldap');

  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ entry }: EnsureDirectoryUserCommand): Promise<number | null> {
    const email = this.emailFor(entry);
    try {
      return await this.create(entry, email);
    } catch (e) {
      if (isTaken(e, 'email')) return this.create(entry, null).catch((again) => this.existing(entry, again));
      return this.existing(entry, e);
    }
  }

  private async create(entry: DirectoryUser, email: string | null): Promise<number> {
    const meta = this.es.metadataFor(null);
    const admin = entry.underAdminBase || (await this.claimFirstUser(entry.uid));
    const build = (id: number): UserCommand => ({
      type: 'RegisterUser',
      data: { id, username: entry.uid, email, displayName: null, passwordHash: null, admin, bot: false },
      metadata: meta,
    });
    const names = [['username', entry.uid] as const, ...(email ? [['email', email] as const] : [])];
    const created = await this.es.create(userDecider, 'user', userStreamId, build, names);
    const actor = { id: created.id, username: entry.uid, admin };
    let position: bigint | null = created.position;
    // The steps act as the new user, as part of this command (its correlation id), at its time.
    const asUser = { ...meta, actor };
    const [registry] = await this.read.registries();
    if (registry) {
      position =
        (await this.commands.execute(
          new ProvisionPersonalNamespaceCommand(
            { id: created.id, username: entry.uid },
            registry['id'] as number,
            asUser,
          ),
        )) ?? position;
    }
    if (admin)
      position = (await this.commands.execute(new SyncAdminTeamsCommand(created.id, true, asUser))) ?? position;
    this.logger.log(`created ${admin ? 'admin ' : ''}user ${entry.uid} on first LDAP login`);
    // The token being issued reads the personal namespace from the read models: wait (bounded) for it.
    await this.read.waitFor(position);
    return created.id;
  }

  /**
   * claimFirstUser: the first user becomes admin (first_user_admin), decided on the `bootstrap` stream
   * as /users/bootstrap does, so two first logins cannot both become admin.
   */
  private async claimFirstUser(username: string): Promise<boolean> {
    if (!this.config.settings.firstUserAdmin || (await this.read.countUsers()) > 0) return false;
    try {
      await this.es.append(
        'bootstrap',
        [{ type: 'BootstrapClaimed', data: { username } }],
        NO_STREAM,
        this.es.metadataFor(null),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** existing: after a lost race (username taken), the holder of the reservation, if it is an LDAP user. */
  private async existing(entry: DirectoryUser, cause: unknown): Promise<number | null> {
    if (!isTaken(cause, 'username')) throw cause;
    const { state } = await this.es.load(reservationDecider, reservationStreamId('username', entry.uid));
    if (state.owner === null) return null;
    const user = (await this.es.load(userDecider, userStreamId(state.owner))).state;
    // A local account that happens to share the name is never taken over by a directory entry.
    if (!user.exists || user.deleted || user.bot || user.passwordHash !== null) return null;
    await this.awaitProvisioned(state.owner);
    return state.owner;
  }

  /**
   * awaitProvisioned: the winner of a race may still be creating the personal namespace; re-read (bounded by
   * read_your_writes.timeout_ms) until the read models show the user and, with a registry, the namespace.
   */
  private async awaitProvisioned(userId: number): Promise<void> {
    const until = performance.now() + this.config.readYourWritesTimeoutMs;
    while (performance.now() < until) {
      const [user, [registry]] = await Promise.all([this.read.user(userId), this.read.registries()]);
      if (user && (!registry || (await this.read.personalNamespaceOf(userId)))) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private emailFor(entry: DirectoryUser): string | null {
    const g = this.config.ldap?.guessEmail;
    if (!g?.enabled) return null;
    const email = g.attr ? entry.email : guessEmail(entry.uid, this.config.ldap?.base ?? '');
    return email && validateEmail(email).length === 0 ? email : null;
  }
}
