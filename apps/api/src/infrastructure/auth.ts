import { Injectable, type NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { ActorRef } from '@portcullis/domain';
import { Unauthenticated } from '../shared/actor';
import { toProblem } from '../shared/problem.filter';
import { hashToken } from './passwords';
import { ReadSide } from './read-side';

/**
 * Authenticator resolves `Portus-Auth: <username>:<application token>` (Portus's session-less API
 * auth) to an actor. Every failure gives the same message, so the answer never tells whether the
 * user exists (no enumeration). UI sessions arrive with the identity issue.
 */
@Injectable()
export class Authenticator {
  constructor(private readonly read: ReadSide) {}

  async fromPortusAuth(header: string, now = new Date()): Promise<ActorRef> {
    const sep = header.indexOf(':');
    if (sep <= 0 || header.length > 1024) throw new Unauthenticated();
    const username = header.slice(0, sep);
    const token = header.slice(sep + 1);
    if (!token) throw new Unauthenticated();
    // NOTE: the lookup is by SHA-256 of a ~190-bit token, so it is not a timing oracle on the secret.
    const credential = await this.read.credentialByTokenHash(hashToken(token));
    if (!credential) throw new Unauthenticated();
    const expiresAt = credential['expiresAt'] as string | null | undefined;
    if (expiresAt && Date.parse(expiresAt) <= now.getTime()) throw new Unauthenticated();
    const user = await this.read.user(credential['userId'] as number);
    if (!user || user['username'] !== username || user['enabled'] !== true) throw new Unauthenticated();
    return { id: user['id'] as number, username: user['username'] as string, admin: user['admin'] === true };
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
