import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  sessionDecider,
  sessionStreamId,
  tokenUsageDecider,
  tokenUsageStreamId,
  type ActorRef,
} from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { EventSourcing } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';
import { LoginAttempts } from './login-attempts';

/** StartSessionCommand opens `session-<sessionId>` for a user whose password was just verified. */
export class StartSessionCommand extends Command<{ expiresAt: string; position: bigint | null }> {
  constructor(
    readonly actor: ActorRef,
    readonly sessionId: string,
    /** tokenHash is the SHA-256 of the cookie secret; the secret itself never enters a command. */
    readonly tokenHash: string,
    readonly ip: string | null,
  ) {
    super();
  }
}

/** EndSessionCommand closes a session (logout, or expiry noticed on use). */
export class EndSessionCommand extends Command<bigint | null> {
  constructor(
    readonly sessionId: string,
    readonly actor: ActorRef | null,
    readonly reason: 'logout' | 'expired',
  ) {
    super();
  }
}

/** TouchSessionCommand records a session's last activity (UsageRecorder's flush, at most once a minute). */
export class TouchSessionCommand extends Command<bigint | null> {
  constructor(
    readonly sessionId: string,
    readonly seenAt: string,
  ) {
    super();
  }
}

/** RecordTokenUseCommand records an application token's last use (UsageRecorder's flush, at most once a minute). */
export class RecordTokenUseCommand extends Command<bigint | null> {
  constructor(
    readonly tokenId: number,
    readonly userId: number,
    readonly usedAt: string,
  ) {
    super();
  }
}

/** StartSessionHandler: the session decider refuses unknown, disabled, locked users and bots from the facts read here. */
@CommandHandler(StartSessionCommand)
export class StartSessionHandler implements ICommandHandler<StartSessionCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly attempts: LoginAttempts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, sessionId, tokenHash, ip }: StartSessionCommand) {
    const user = await this.read.user(actor.id);
    const metadata = this.es.metadataFor(actor);
    const out = await this.es.handle(sessionDecider, sessionStreamId(sessionId), {
      type: 'StartSession',
      data: {
        sessionId,
        userId: actor.id,
        username: actor.username,
        tokenHash,
        user: {
          exists: user !== null,
          enabled: user?.['enabled'] === true,
          bot: user?.['bot'] === true,
          locked: user !== null && this.attempts.isLocked(user as unknown as { id: number }),
        },
        absoluteTimeoutMinutes: this.config.sessions.absoluteTimeoutMinutes,
        ip,
      },
      metadata,
    });
    const started = out.events[0];
    const expiresAt = started?.type === 'SessionStarted' ? started.data.expiresAt : metadata.now;
    return { expiresAt, position: out.position };
  }
}

@CommandHandler(EndSessionCommand)
export class EndSessionHandler implements ICommandHandler<EndSessionCommand> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ sessionId, actor, reason }: EndSessionCommand): Promise<bigint | null> {
    const out = await this.es.handle(
      sessionDecider,
      sessionStreamId(sessionId),
      { type: 'EndSession', data: { reason }, metadata: this.es.metadataFor(actor) },
      { retryOnConflict: true },
    );
    return out.position;
  }
}

@CommandHandler(TouchSessionCommand)
export class TouchSessionHandler implements ICommandHandler<TouchSessionCommand> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ sessionId, seenAt }: TouchSessionCommand): Promise<bigint | null> {
    const out = await this.es.handle(
      sessionDecider,
      sessionStreamId(sessionId),
      { type: 'TouchSession', data: { seenAt }, metadata: this.es.metadataFor(null) },
      { retryOnConflict: true },
    );
    return out.position;
  }
}

@CommandHandler(RecordTokenUseCommand)
export class RecordTokenUseHandler implements ICommandHandler<RecordTokenUseCommand> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ tokenId, userId, usedAt }: RecordTokenUseCommand): Promise<bigint | null> {
    const out = await this.es.handle(
      tokenUsageDecider,
      tokenUsageStreamId(tokenId),
      { type: 'RecordTokenUse', data: { tokenId, userId, usedAt }, metadata: this.es.metadataFor(null) },
      { retryOnConflict: true },
    );
    return out.position;
  }
}

/** SessionCommandHandlers are registered in AppModule (through SessionsProviders). */
export const SessionCommandHandlers = [
  StartSessionHandler,
  EndSessionHandler,
  TouchSessionHandler,
  RecordTokenUseHandler,
];
