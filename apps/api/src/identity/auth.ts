import { Inject, Injectable, Optional, type NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { ActorRef, forbidden } from '@portcullis/domain';
import { Unauthenticated } from '../platform/actor';
import { toProblem } from '../platform/problem.filter';
import { CSRF_HEADER, clearedSessionCookie, csrfRefusal, readSessionCookie } from './session-cookie';
import { Sessions, type ActiveSession } from './sessions';
import { Clock } from '../platform/clock';
import { CREDENTIAL_INDEX, indexFirst, type CredentialReader } from './credential-index';
import { LoginAttempts, payDummyVerify, type LockView, type LoginContext } from './login-attempts';
import { PasswordCache } from './password-cache';
import {
  badCredentials,
  noMatch,
  PASSWORD_AUTHENTICATORS,
  type AuthResult,
  type PasswordAuthenticator,
} from './password-authenticator';
import { hashToken, TOKEN_PREFIX } from './passwords';
import { ReadSide } from '../platform/read-side';
import { UsageRecorder } from './usage-recorder';

/**
 * Authenticator resolves `Portus-Auth: <username>:<application token>` (Portus's session-less API
 * auth) to an actor. Every failure gives the same message, so the answer never tells whether the
 * user exists (no enumeration). UI sessions arrive with the identity issue.
 */
@Injectable()
export class Authenticator {
  /** passwords: the argon2 cache, on this app's clock (deferred: fields initialise before parameter properties). */
  private readonly passwords = new PasswordCache(60_000, 10_000, () => this.clock.ms());
  /** chain: the local password first (for users who have one), then the directories (LDAP). */
  private readonly chain: readonly PasswordAuthenticator[];
  /** read is the in-process credential index first, then the shared read models (indexFirst says why). */
  private readonly read: CredentialReader;

  constructor(
    shared: ReadSide,
    @Inject(PASSWORD_AUTHENTICATORS) directories: PasswordAuthenticator[],
    private readonly attempts: LoginAttempts,
    private readonly usage: UsageRecorder,
    private readonly clock: Clock,
    @Optional() @Inject(CREDENTIAL_INDEX) index?: CredentialReader,
  ) {
    this.read = index ? indexFirst(index, shared) : shared;
    this.chain = [{ name: 'local', attempt: (u, p) => this.localPassword(u, p) }, ...directories];
  }

  async fromPortusAuth(header: string, now = this.clock.now()): Promise<ActorRef> {
    const sep = header.indexOf(':');
    if (sep <= 0 || header.length > 1024) throw new Unauthenticated();
    return this.fromApplicationToken(header.slice(0, sep), header.slice(sep + 1), now);
  }

  /**
   * fromApplicationToken checks a token and that it belongs to `username` (null: whoever owns it, for
   * the OAuth2 refresh_token grant, which carries no username).
   */
  async fromApplicationToken(username: string | null, token: string, now = this.clock.now()): Promise<ActorRef> {
    if (!token) throw new Unauthenticated();
    // NOTE: the lookup is by SHA-256 of a ~190-bit token, so it is not a timing oracle on the secret.
    const credential = await this.read.credentialByTokenHash(hashToken(token));
    if (!credential) throw new Unauthenticated();
    const expiresAt = credential['expiresAt'] as string | null | undefined;
    if (expiresAt && Date.parse(expiresAt) <= now.getTime()) throw new Unauthenticated();
    const user = await this.read.user(credential['userId'] as number);
    if (!user || (username !== null && user['username'] !== username) || user['enabled'] !== true)
      throw new Unauthenticated();
    // Last-used is marked in memory and flushed later (UsageRecorder): the token path never writes.
    this.usage.tokenUsed(credential['tokenId'] as number, user['id'] as number, now.toISOString());
    return { id: user['id'] as number, username: user['username'] as string, admin: user['admin'] === true };
  }

  /**
   * fromBasic is `docker login`'s HTTP Basic: an application token as the password first (Portus's
   * order, and no argon2 cost), then the password chain. `context` may be a function, called only when the
   * password chain runs (the token path's client address is worked out only then).
   */
  async fromBasic(username: string, secret: string, context?: LoginContext | (() => LoginContext)): Promise<ActorRef> {
    if (!username || !secret || username.length > 255 || secret.length > 1024) throw new Unauthenticated();
    if (secret.startsWith(TOKEN_PREFIX)) {
      try {
        return await this.fromApplicationToken(username, secret);
      } catch (e) {
        // Not a token of this user: it may still be a password that happens to start with the prefix.
        if (!(e instanceof Unauthenticated)) throw e;
      }
    }
    return this.fromPassword(username, secret, typeof context === 'function' ? context() : context);
  }

  /**
   * fromPassword runs the chain (local password, then LDAP) for a username and password, as docker
   * login and the UI login both need; the first link that does not answer noMatch decides.
   */
  async fromPassword(
    username: string,
    password: string,
    context: LoginContext = { source: 'registry', ip: null },
  ): Promise<ActorRef> {
    if (!username || !password || username.length > 255 || password.length > 1024) throw new Unauthenticated();
    // Disabled and locked users are refused before any link, so before the verified-credentials cache:
    // a cached password stops working the moment the read model (or this replica) locks or disables.
    const known = await this.read.userByUsername(username);
    if (known && (known['enabled'] !== true || this.attempts.isLocked(known as unknown as LockView))) {
      await payDummyVerify(password);
      throw new Unauthenticated();
    }
    for (const link of this.chain) {
      const result = await link.attempt(username, password);
      if (result.kind === 'noMatch') continue;
      if (result.kind === 'error') {
        // Counted in memory, written after the answer (LoginAttempts): no synchronous write here.
        if (known && result.reason === 'bad-credentials')
          this.attempts.failed(known as unknown as LockView, context.source, context.ip);
        throw new Unauthenticated();
      }
      const user = await this.read.user(result.userId);
      if (!user || user['enabled'] !== true) throw new Unauthenticated();
      return { id: result.userId, username: user['username'] as string, admin: user['admin'] === true };
    }
    // No link knew the user: pay what a wrong password costs, so an unknown name is not answered faster.
    await payDummyVerify(password);
    throw new Unauthenticated();
  }

  /** localPassword: users without a local password (LDAP-created, or unknown) are not this link's to decide. */
  private async localPassword(username: string, password: string): Promise<AuthResult> {
    const user = await this.read.userByUsername(username);
    if (!user) return noMatch;
    const id = user['id'] as number;
    const hash = await this.read.passwordHashOf(id);
    if (hash === null) return noMatch;
    return (await this.passwords.verify(id, hash, password)) ? { kind: 'match', userId: id } : badCredentials;
  }
}

/** LOGIN_PATH is the session login, which must work whatever stale cookie the browser still sends. */
const LOGIN_PATH = '/api/v1/sessions';

/**
 * AuthMiddleware puts `req.actor` (null when anonymous) on every /api request: `Portus-Auth` (API
 * clients) first, else the UI session cookie, whose unsafe requests must also pass the CSRF check.
 * Bad credentials, an expired session and a CSRF refusal are answered at once.
 */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: Authenticator,
    private readonly sessions: Sessions,
  ) {}

  async use(
    req: Request & { actor?: ActorRef | null; session?: ActiveSession | null },
    res: Response,
    next: NextFunction,
  ): Promise<void> {
    const header = req.header('portus-auth');
    req.actor = null;
    req.session = null;
    if (req.method === 'OPTIONS') return next();
    try {
      if (header !== undefined) req.actor = await this.auth.fromPortusAuth(header);
      else if (req.originalUrl.startsWith('/api/')) await this.fromCookie(req, res);
      next();
    } catch (e) {
      const problem = toProblem(e);
      res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    }
  }

  private async fromCookie(req: Request & { actor?: ActorRef | null; session?: ActiveSession | null }, res: Response) {
    const secret = readSessionCookie(req.header('cookie'));
    const path = req.originalUrl.split('?')[0].replace(/\/$/, '');
    if (secret === null || (path === LOGIN_PATH && req.method === 'POST')) return;
    const session = await this.sessions.resolve(secret);
    if (session === null || session === 'expired') {
      res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
      throw new Unauthenticated(session === 'expired' ? 'Session expired; log in again' : 'Authentication fails');
    }
    const refusal = csrfRefusal({
      method: req.method,
      token: req.header(CSRF_HEADER),
      expected: session.csrfToken,
      origin: req.header('origin'),
      host: req.host,
    });
    if (refusal !== null) throw forbidden('AUTH.CSRF', `CSRF check failed: ${refusal}`);
    req.session = session;
    req.actor = session.actor;
  }
}
