import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { lockoutDecider, loginStreamId, type ActorRef, type LoginSource } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';

/** RecordLoginFailuresCommand writes a user's failed passwords (LoginAttempts' coalesced flush, after the answer). */
export class RecordLoginFailuresCommand extends Command<bigint | null> {
  constructor(
    readonly userId: number,
    readonly failedAt: readonly string[],
    readonly source: LoginSource,
    readonly ip: string | null,
  ) {
    super();
  }
}

/** UnlockUserCommand lifts a brute-force lock before it expires (an admin; Devise's unlock_access!). */
export class UnlockUserCommand extends Command<bigint | null> {
  constructor(
    readonly actor: ActorRef,
    readonly userId: number,
  ) {
    super();
  }
}

/**
 * RecordLoginFailuresHandler: the lockout decider decides the lock over every replica's failures on the user's
 * `login-<id>` stream; replicas flushing at once re-decide.
 */
@CommandHandler(RecordLoginFailuresCommand)
export class RecordLoginFailuresHandler implements ICommandHandler<RecordLoginFailuresCommand> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ userId, failedAt, source, ip }: RecordLoginFailuresCommand): Promise<bigint | null> {
    const out = await this.es.handle(
      lockoutDecider,
      loginStreamId(userId),
      {
        type: 'RecordLoginFailures',
        data: { userId, failedAt, source, ip, policy: this.config.lockout },
        metadata: this.es.metadataFor(null),
      },
      { retryOnConflict: true },
    );
    return out.position;
  }
}

@CommandHandler(UnlockUserCommand)
export class UnlockUserHandler implements ICommandHandler<UnlockUserCommand> {
  constructor(
    private readonly es: EventSourcing,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, userId }: UnlockUserCommand): Promise<bigint | null> {
    const out = await this.es.handle(
      lockoutDecider,
      loginStreamId(userId),
      {
        type: 'UnlockUser',
        data: { userId, policy: this.config.lockout },
        metadata: this.es.metadataFor(actor),
      },
      { retryOnConflict: true },
    );
    return out.position;
  }
}

/** LockoutCommandHandlers are registered in AppModule (through SessionsProviders). */
export const LockoutCommandHandlers = [RecordLoginFailuresHandler, UnlockUserHandler];
