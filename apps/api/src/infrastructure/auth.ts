import { Injectable, type NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { ActorRef } from '@portcullis/domain';
import { Unauthenticated } from '../shared/actor';
import { toProblem } from '../shared/problem.filter';
import { PasswordCache } from './password-cache';
import { hashToken, TOKEN_PREFIX } from './passwords';
import { ReadSide } from './read-side';

/**
 * Authenticator resolves `Portus-Auth: <username>:<application token>` (Portus's session-less API
 * auth) to an actor. Every failure gives the same message, so the answer never tells whether the
 * user exists (no enumeration). UI sessions arrive with the identity issue.
 */
@Injectable()
export class Authenticator {
  private readonly passwords = new PasswordCache();

  constructor(private readonly read: ReadSide) {}

  async fromPortusAuth(header: string, now = new Date()): Promise<ActorRef> {
    const sep = header.indexOf(':');
    if (sep <= 0 || header.length > 1024) throw new Unauthenticated();
    return this.fromApplicationToken(header.slice(0, sep), header.slice(sep + 1), now);
  }

  /**
   * fromApplicationToken checks a token and that it belongs to `username` (null: whoever owns it, for
   * the OAuth2 refresh_token grant, which carries no username).
   */
  async fromApplicationToken(username: string | null, token: string, now = new Date()): Promise<ActorRef> {
    if (!token) throw new Unauthenticated();
    // NOTE: the lookup is by SHA-256 of a ~190-bit token, so it is not a timing oracle on the secret.
    const credential = await this.read.credentialByTokenHash(hashToken(token));
    if (!credential) throw new Unauthenticated();
    const expiresAt = credential['expiresAt'] as string | null | undefined;
    if (expiresAt && Date.parse(expiresAt) <= now.getTime()) throw new Unauthenticated();
    const user = await this.read.user(credential['userId'] as number);
    if (!user || (username !== null && user['username'] !== username) || user['enabled'] !== true)
      throw new Unauthenticated();
    return { id: user['id'] as number, username: user['username'] as string, admin: user['admin'] === true };
  }

  /**
   * fromBasic is `docker login`'s HTTP Basic: an application token as the password first (Portus's
   * order, and no argon2 cost), then the local password.
   */
  async fromBasic(username: string, secret: string): Promise<ActorRef> {
    if (!username || !secret || username.length > 255 || secret.length > 1024) throw new Unauthenticated();
    if (secret.startsWith(TOKEN_PREFIX)) {
      try {
        return await this.fromApplicationToken(username, secret);
      } catch (e) {
        // Not a token of this user: it may still be a password that happens to start with the prefix.
        if (!(e instanceof Unauthenticated)) throw e;
      }
    }
    const user = await this.read.userByUsername(username);
    if (!user || user['enabled'] !== true) throw new Unauthenticated();
    const id = user['id'] as number;
    if (!(await this.passwords.verify(id, await this.read.passwordHashOf(id), secret))) throw new Unauthenticated();
    return { id, username: user['username'] as string, admin: user['admin'] === true };
  }
}

/** AuthMiddleware puts `req.actor` (null when anonymous) on every /api request; bad credentials are 401 at once. */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly auth: Authenticator) {}

  async use(req: Request & { actor?: ActorRef | null }, res: Response, next: NextFunction): Promise<void> {
    const header = req.header('portus-auth');
    req.actor = null;
    if (header === undefined || req.method === 'OPTIONS') return next();
    try {
      req.actor = await this.auth.fromPortusAuth(header);
      next();
    } catch (e) {
      const problem = toProblem(e);
      res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    }
  }
}
