import { HttpException, Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  illegalState,
  notFound,
  userDecider,
  userStreamId,
  validation,
  validatePassword,
  type ActorRef,
  type UserCommand,
} from '@portcullis/domain';
import { NO_STREAM } from '@portcullis/persistence';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import type { Done } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';
import { hashPassword, newApplicationToken } from '../identity/passwords';
import { ProvisionPersonalNamespaceCommand, SyncAdminTeamsCommand } from '../provisioning/provisioning.commands';

function assertPassword(plain: string): void {
  const problems = validatePassword(plain);
  if (problems.length) throw validation('USER.INVALID_PASSWORD', `password ${problems[0]}`, 'password');
}

/** RegisterUserCommand creates a local user (admin create, bootstrap). */
export class RegisterUserCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef | null,
    readonly user: {
      username: string;
      email: string;
      password: string;
      displayName: string | null;
      admin: boolean;
      bot: boolean;
    },
  ) {
    super();
  }
}

/** BootstrapCommand creates the first admin and its "bootstrap" application token. */
export class BootstrapCommand extends Command<Done & { tokenId: number; plainToken: string }> {
  constructor(readonly user: { username: string; email: string; password: string; displayName: string | null }) {
    super();
  }
}

/** UserChangeCommand runs one user decider command after the api looked up its inputs. */
export class UserChangeCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly userId: number,
    readonly change:
      | { type: 'Update'; username?: string; email?: string; displayName?: string | null; password?: string }
      | { type: 'Enable' }
      | { type: 'Disable' }
      | { type: 'SetAdmin'; admin: boolean }
      | { type: 'Delete' },
  ) {
    super();
  }
}

/** CreateTokenCommand issues an application token; the plain token is returned exactly once. */
export class CreateTokenCommand extends Command<Done & { plainToken: string }> {
  constructor(
    readonly actor: ActorRef,
    readonly userId: number,
    readonly application: string,
    readonly expiresAt: string | null,
  ) {
    super();
  }
}

/** RevokeTokenCommand deletes an application token. */
export class RevokeTokenCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly tokenId: number,
  ) {
    super();
  }
}

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly commands: CommandBus,
  ) {}

  async execute({ actor, user }: RegisterUserCommand): Promise<Done> {
    assertPassword(user.password);
    const meta = this.es.metadataFor(actor);
    const passwordHash = await hashPassword(user.password);
    const build = (id: number): UserCommand => ({
      type: 'RegisterUser',
      data: {
        id,
        username: user.username,
        email: user.email,
        displayName: user.displayName,
        passwordHash,
        admin: user.admin,
        bot: user.bot,
      },
      metadata: meta,
    });
    const created = await this.es.create(userDecider, 'user', userStreamId, build, [
      ['username', user.username],
      ['email', user.email],
    ]);
    const id = created.id;
    let position = created.position;
    const [registry] = await this.read.registries();
    if (registry && !user.bot) {
      position =
        (await this.commands.execute(
          new ProvisionPersonalNamespaceCommand({ id, username: user.username }, registry['id'] as number, meta),
        )) ?? position;
    }
    if (user.admin) position = (await this.commands.execute(new SyncAdminTeamsCommand(id, true, meta))) ?? position;
    return { id, position };
  }
}

@CommandHandler(CreateTokenCommand)
export class CreateTokenHandler implements ICommandHandler<CreateTokenCommand> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, userId, application, expiresAt }: CreateTokenCommand) {
    const stream = userStreamId(userId);
    const loaded = await this.es.load(userDecider, stream);
    if (!loaded.state.exists || loaded.state.deleted) throw notFound('USER.NOT_FOUND', 'user not found');
    const token = newApplicationToken();
    const build = (tokenId: number): UserCommand => ({
      type: 'CreateApplicationToken',
      data: { tokenId, application, tokenHash: token.hash, expiresAt, max: this.config.settings.applicationTokensMax },
      metadata: this.es.metadataFor(actor),
    });
    userDecider.decide(build(0), loaded.state); // refuse bad input before an id is spent
    const tokenId = await this.es.allocateId('application_token');
    const out = await this.es.handle(userDecider, stream, build(tokenId), { loaded });
    return { id: tokenId, position: out.position, plainToken: token.plain };
  }
}

@CommandHandler(BootstrapCommand)
export class BootstrapHandler implements ICommandHandler<BootstrapCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly handler: RegisterUserHandler,
    private readonly tokens: CreateTokenHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ user }: BootstrapCommand) {
    if (!this.config.settings.firstUserAdmin)
      throw new HttpException('first_user_admin is disabled: bootstrap is not allowed', 405);
    if ((await this.read.countUsers()) > 0)
      throw new HttpException('You can only use this when there are no users on the system', 400);
    assertPassword(user.password);
    // NOTE: the read model could lag behind a bootstrap running on another replica; the
    // `bootstrap` stream, appended with NO_STREAM, makes "first" hold under a race.
    try {
      await this.es.append(
        'bootstrap',
        [{ type: 'BootstrapClaimed', data: { username: user.username } }],
        NO_STREAM,
        this.es.metadataFor(null),
      );
    } catch {
      throw new HttpException('You can only use this when there are no users on the system', 400);
    }
    const created = await this.handler.execute(new RegisterUserCommand(null, { ...user, admin: true, bot: false }));
    const actor: ActorRef = { id: created.id, username: user.username, admin: true };
    const token = await this.tokens.execute(new CreateTokenCommand(actor, created.id, 'bootstrap', null));
    return { id: created.id, position: token.position, tokenId: token.id, plainToken: token.plainToken };
  }
}

@CommandHandler(UserChangeCommand)
export class UserChangeHandler implements ICommandHandler<UserChangeCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly commands: CommandBus,
  ) {}

  async execute({ actor, userId, change }: UserChangeCommand): Promise<Done> {
    const meta = this.es.metadataFor(actor);
    const stream = userStreamId(userId);
    const loaded = await this.es.load(userDecider, stream);
    if (!loaded.state.exists || loaded.state.deleted) throw notFound('USER.NOT_FOUND', 'user not found');
    const run = (command: UserCommand) => this.es.handle(userDecider, stream, command);
    switch (change.type) {
      case 'Update': {
        let position: bigint | null = null;
        const { username, email, displayName } = change;
        const renamed = username !== undefined && username !== loaded.state.username ? username : undefined;
        const reemailed = email !== undefined && email !== loaded.state.email ? email : undefined;
        if (renamed || reemailed || displayName !== undefined) {
          const command: UserCommand = {
            type: 'UpdateUser',
            data: { username: renamed, email: reemailed, displayName },
            metadata: meta,
          };
          userDecider.decide(command, loaded.state); // validate and authorize before claiming names
          if (renamed) await this.es.reserve('username', renamed, userId, meta);
          if (reemailed) await this.es.reserve('email', reemailed, userId, meta);
          const out = await this.es.handle(userDecider, stream, command, { loaded });
          if (renamed && loaded.state.username) await this.es.release('username', loaded.state.username, userId, meta);
          if (reemailed && loaded.state.email) await this.es.release('email', loaded.state.email, userId, meta);
          position = out.position;
        }
        if (change.password !== undefined) {
          assertPassword(change.password);
          const out = await run({
            type: 'ChangePassword',
            data: { passwordHash: await hashPassword(change.password) },
            metadata: meta,
          });
          position = out.position ?? position;
        }
        return { id: userId, position };
      }
      case 'Enable':
        return { id: userId, position: (await run({ type: 'EnableUser', data: {}, metadata: meta })).position };
      case 'Disable':
        return {
          id: userId,
          position: (
            await run({
              type: 'DisableUser',
              data: { enabledAdminIds: await this.read.enabledAdminIds() },
              metadata: meta,
            })
          ).position,
        };
      case 'SetAdmin': {
        const out = await run({
          type: 'SetAdmin',
          data: { admin: change.admin, enabledAdminIds: await this.read.enabledAdminIds() },
          metadata: meta,
        });
        if (!out.events.length) return { id: userId, position: null };
        return {
          id: userId,
          position:
            (await this.commands.execute(new SyncAdminTeamsCommand(userId, change.admin, meta))) ?? out.position,
        };
      }
      case 'Delete': {
        const out = await run({
          type: 'DeleteUser',
          data: { enabledAdminIds: await this.read.enabledAdminIds() },
          metadata: meta,
        });
        if (loaded.state.username) await this.es.release('username', loaded.state.username, userId, meta);
        if (loaded.state.email) await this.es.release('email', loaded.state.email, userId, meta);
        return { id: userId, position: out.position };
      }
    }
  }
}

@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
  ) {}

  async execute({ actor, tokenId }: RevokeTokenCommand): Promise<Done> {
    const token = await this.read.token(tokenId);
    if (!token) throw notFound('TOKEN.NOT_FOUND', 'application token not found');
    const userId = token['user_id'] as number;
    const out = await this.es.handle(
      userDecider,
      userStreamId(userId),
      { type: 'RevokeApplicationToken', data: { tokenId }, metadata: this.es.metadataFor(actor) },
      { retryOnConflict: true },
    );
    if (!out.events.length) throw illegalState('TOKEN.NOT_FOUND', 'application token not found');
    return { id: tokenId, position: out.position };
  }
}

/** UserCommandHandlers are registered by the users module. */
export const UserCommandHandlers = [
  RegisterUserHandler,
  BootstrapHandler,
  UserChangeHandler,
  CreateTokenHandler,
  RevokeTokenHandler,
];
