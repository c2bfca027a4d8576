import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { isLockedAt, type LoginSource } from '@portcullis/domain';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { Clock } from '../platform/clock';
import { RecordLoginFailuresCommand } from './lockout.commands';
import { hashPassword, verifyPassword } from './passwords';

interface Local {
  /** failures: this replica's recent failure times (within the window). */
  failures: string[];
  /** lockedAt: when this replica locked the user itself, before the UserLocked event is projected. */
  lockedAt: string | null;
}

interface Pending {
  userId: number;
  source: LoginSource;
  ip: string | null;
  failedAt: string[];
}

/** FLUSH_DELAY_MS: failures are written shortly after the answer, coalesced per user, source and IP. */
const FLUSH_DELAY_MS = 200;

/** LockView is what the lock check needs from the users read model. */
export interface LockView {
  readonly id: number;
  readonly locked_at?: string | null;
  readonly unlocked_at?: string | null;
}

/**
 * LoginAttempts is brute-force protection without a synchronous write on the login path: a failure is
 * counted in memory (so this replica refuses the next attempt at once) and written as LoginFailed /
 * UserLocked events right after the answer, coalesced. The lockout decider decides the lock on the
 * `login-<id>` stream over every replica's failures; the users read model's `locked_at` makes the lock
 * hold on every replica. A replica may therefore allow up to max_attempts per replica before the first
 * UserLocked is projected; the per-IP rate limit bounds that further.
 */
@Injectable()
export class LoginAttempts implements BeforeApplicationShutdown {
  private readonly logger = new Logger('lockout');
  private readonly local = new Map<number, Local>();
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<bigint | null> = Promise.resolve(null);

  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async beforeApplicationShutdown() {
    if (this.timer) clearTimeout(this.timer);
    await this.flush();
  }

  /** isLocked: locked in the read model (any replica) or by this replica, unless an admin unlocked since. */
  isLocked(user: LockView): boolean {
    const now = this.clock.iso();
    const policy = this.config.lockout;
    if (isLockedAt(user.locked_at ?? null, now, policy)) return true;
    const mine = this.local.get(user.id);
    if (!mine?.lockedAt || !isLockedAt(mine.lockedAt, now, policy)) return false;
    const unlocked = user.unlocked_at ?? null;
    return unlocked === null || unlocked < mine.lockedAt;
  }

  /** failed counts a wrong password for a known user; never awaits a write. */
  failed(user: LockView, source: LoginSource, ip: string | null): void {
    const now = this.clock.iso();
    const since = new Date(this.clock.now().getTime() - this.config.lockout.unlockAfterMinutes * 60_000).toISOString();
    const unlocked = user.unlocked_at ?? '';
    const mine = this.local.get(user.id) ?? { failures: [], lockedAt: null };
    mine.failures = mine.failures.filter((t) => t > since && t > unlocked);
    mine.failures.push(now);
    if (mine.failures.length >= this.config.lockout.maxAttempts) {
      mine.lockedAt = now;
      mine.failures = [];
    }
    this.local.set(user.id, mine);
    const key = `${user.id}\n${source}\n${ip ?? ''}`;
    const batch = this.pending.get(key) ?? { userId: user.id, source, ip, failedAt: [] };
    batch.failedAt.push(now);
    this.pending.set(key, batch);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** flush writes pending failures (flushes never overlap); resolves to the last position written. */
  flush(): Promise<bigint | null> {
    this.flushing = this.flushing.then(() => this.drain());
    return this.flushing;
  }

  private async drain(): Promise<bigint | null> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = [...this.pending.values()];
    this.pending = new Map();
    let position: bigint | null = null;
    for (const { userId, source, ip, failedAt } of batches) {
      try {
        const written = await this.commands.execute(new RecordLoginFailuresCommand(userId, failedAt, source, ip));
        position = written ?? position;
      } catch (e) {
        this.logger.warn(`could not record failed logins of user ${userId}: ${(e as Error).message}`);
      }
    }
    this.sweep();
    return position;
  }

  /** sweep drops local entries with neither a recent failure nor a running lock, bounding the map. */
  private sweep(): void {
    const now = this.clock.iso();
    const since = new Date(this.clock.now().getTime() - this.config.lockout.unlockAfterMinutes * 60_000).toISOString();
    for (const [id, l] of this.local) {
      const active = l.failures.some((t) => t > since) || isLockedAt(l.lockedAt, now, this.config.lockout);
      if (!active) this.local.delete(id);
    }
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * payDummyVerify spends what a real argon2 verification costs, against a hash made once per process,
 * so an unknown, disabled or locked user is refused in the same time as a wrong password.
 */
export async function payDummyVerify(password: string): Promise<void> {
  dummyHash ??= hashPassword('portcullis-dummy-password');
  await verifyPassword(await dummyHash, password);
}

/** LoginContext says where a password was tried, for the audit trail (never the password). */
export interface LoginContext {
  readonly source: LoginSource;
  readonly ip: string | null;
}
