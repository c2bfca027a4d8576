import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { ActorRef } from '@portcullis/domain';
import { Collections, type SessionDoc } from '@portcullis/read-models';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { IdSource } from '../platform/ids';
import { hashToken } from './passwords';
import { ReadSide } from '../platform/read-side';
import { UsageRecorder } from './usage-recorder';
import { EndSessionCommand, StartSessionCommand } from './session.commands';
import { csrfTokenFor, newSessionSecret } from './session-cookie';

/** ActiveSession is a cookie that resolved to a live session. */
export interface ActiveSession {
  readonly actor: ActorRef;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly idleExpiresAt: string;
}

/** Started is a new session: the cookie secret (given to the browser once) and where it is in the log. */
export interface Started {
  readonly secret: string;
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly position: bigint | null;
}

/**
 * Sessions are server-side UI sessions. The cookie holds 32 random bytes; the read model holds their
 * SHA-256 (`sessions`, projected from session-<id> streams), so a leaked read store cannot be replayed
 * as cookies. A login and a logout are one append each; activity is marked in memory and flushed at
 * most once a minute (UsageRecorder), never written per request (ADR 0006).
 */
@Injectable()
export class Sessions {
  private readonly logger = new Logger('sessions');

  constructor(
    private readonly commands: CommandBus,
    private readonly read: ReadSide,
    private readonly usage: UsageRecorder,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** start opens a session for a user whose password was just verified; bots and locked users are refused. */
  async start(actor: ActorRef, ip: string | null): Promise<Started> {
    const secret = newSessionSecret();
    const sessionId = this.ids.uuid();
    const { expiresAt, position } = await this.commands.execute(
      new StartSessionCommand(actor, sessionId, hashToken(secret), ip),
    );
    return { secret, sessionId, csrfToken: csrfTokenFor(secret), expiresAt, position };
  }

  /**
   * resolve checks a cookie secret: unknown or revoked → null; past the absolute or idle expiry →
   * 'expired' (and the session is ended off the request path). A live session is marked as seen.
   */
  async resolve(secret: string): Promise<ActiveSession | 'expired' | null> {
    const doc = await this.read.store.collection<SessionDoc>(Collections.sessions).get(hashToken(secret));
    if (!doc) return null;
    const now = this.clock.iso();
    const local = this.usage.lastSeen(doc.session_id);
    const lastSeen = local !== null && local > doc.last_seen_at ? local : doc.last_seen_at;
    const idleExpiresAt = new Date(
      Date.parse(lastSeen) + this.config.sessions.idleTimeoutMinutes * 60_000,
    ).toISOString();
    if (now >= doc.expires_at || now >= idleExpiresAt) {
      void this.end(doc.session_id, null, 'expired').catch((e: Error) =>
        this.logger.warn(`could not end expired session: ${e.message}`),
      );
      return 'expired';
    }
    // The projection already dropped sessions of disabled, deleted or re-passworded users; the user
    // check below also covers the moment before it has.
    const user = await this.read.user(doc.user_id);
    if (!user || user['enabled'] !== true) return null;
    this.usage.sessionSeen(doc.session_id, now);
    const nextIdle = new Date(Date.parse(now) + this.config.sessions.idleTimeoutMinutes * 60_000).toISOString();
    return {
      actor: { id: doc.user_id, username: user['username'] as string, admin: user['admin'] === true },
      sessionId: doc.session_id,
      csrfToken: csrfTokenFor(secret),
      expiresAt: doc.expires_at,
      idleExpiresAt: nextIdle < doc.expires_at ? nextIdle : doc.expires_at,
    };
  }

  /** end closes a session (logout, or expiry noticed on use). */
  async end(sessionId: string, actor: ActorRef | null, reason: 'logout' | 'expired'): Promise<bigint | null> {
    return this.commands.execute(new EndSessionCommand(sessionId, actor, reason));
  }
}
