import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Clock } from '../platform/clock';
import { RecordTokenUseCommand, TouchSessionCommand } from './session.commands';

/** FLUSH_MS: at most one ApplicationTokenUsed per token and one SessionTouched per session per minute. */
export const USAGE_FLUSH_MS = 60_000;

/** SEEN_RETENTION_MS bounds the local last-seen map: entries older than a day are no longer needed. */
const SEEN_RETENTION_MS = 24 * 60 * 60_000;

/**
 * UsageRecorder keeps "last used" marks off the request path (architecture: the token path never
 * writes): a use only sets a map entry, and every minute the map is drained into at most one event per
 * token or session. It also remembers when this replica last saw each session, so idle expiry is
 * exact here even before the flushed mark reaches the read model. Marks pending when the process dies
 * are lost: last-used is a hint, and a session then looks idle a minute early at worst.
 */
@Injectable()
export class UsageRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('usage');
  private tokens = new Map<number, { userId: number; at: string }>();
  private sessions = new Map<string, string>();
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.flush(), USAGE_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  tokenUsed(tokenId: number, userId: number, at: string): void {
    this.tokens.set(tokenId, { userId, at });
  }

  sessionSeen(sessionId: string, at: string): void {
    this.sessions.set(sessionId, at);
    this.seen.set(sessionId, at);
  }

  /** lastSeen is this replica's latest request on the session (null: none since start or the last day). */
  lastSeen(sessionId: string): string | null {
    return this.seen.get(sessionId) ?? null;
  }

  /** flush appends the pending marks; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.drain());
    return this.flushing;
  }

  private async drain(): Promise<void> {
    const tokens = this.tokens;
    const sessions = this.sessions;
    this.tokens = new Map();
    this.sessions = new Map();
    for (const [tokenId, { userId, at }] of tokens)
      await this.attempt(`token ${tokenId}`, () =>
        this.commands.execute(new RecordTokenUseCommand(tokenId, userId, at)),
      );
    for (const [sessionId, seenAt] of sessions)
      await this.attempt(`session ${sessionId}`, () =>
        this.commands.execute(new TouchSessionCommand(sessionId, seenAt)),
      );
    const horizon = new Date(this.clock.now().getTime() - SEEN_RETENTION_MS).toISOString();
    for (const [id, at] of this.seen) if (at < horizon) this.seen.delete(id);
  }

  private async attempt(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (e) {
      this.logger.warn(`could not record the last use of ${what}: ${(e as Error).message}`);
    }
  }
}
