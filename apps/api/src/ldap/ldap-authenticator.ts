import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { validateUsername } from '@portcullis/domain';
import { ReadSide } from '../platform/read-side';
import {
  badCredentials,
  noMatch,
  type AuthResult,
  type PasswordAuthenticator,
} from '../identity/password-authenticator';
import { LdapDirectory, LdapUnavailable } from './ldap-directory';
import { EnsureDirectoryUserCommand } from './directory-users.commands';

/**
 * SYSTEM_USERNAMES never go to the directory (Portus skipped LDAP for `account=portus`): a directory
 * entry named like Portcullis's own actor must not be able to sign in as it.
 */
const SYSTEM_USERNAMES = new Set(['portus', 'portcullis']);

/**
 * LdapAuthenticator is the chain's LDAP link. It answers noMatch when LDAP is off, for system names,
 * bots, and users who have a local password (the local link decided for them), so local accounts never
 * depend on the directory. Otherwise it searches and binds; the first successful login creates the
 * user (EnsureDirectoryUserCommand). Known users cost one connection (service bind, one search for uid/email
 * attributes, user bind) and no write.
 */
@Injectable()
export class LdapAuthenticator implements PasswordAuthenticator {
  readonly name = 'ldap';
  private readonly logger = new Logger('ldap');

  constructor(
    private readonly directory: LdapDirectory,
    private readonly read: ReadSide,
    private readonly commands: CommandBus,
  ) {}

  /** authenticate is the plain form for callers outside the chain (the UI login): the user id, or null. */
  async authenticate(username: string, password: string): Promise<{ userId: number } | null> {
    const result = await this.attempt(username, password);
    return result.kind === 'match' ? { userId: result.userId } : null;
  }

  async attempt(username: string, password: string): Promise<AuthResult> {
    if (!this.directory.enabled || SYSTEM_USERNAMES.has(username.toLowerCase())) return noMatch;
    // A name Portcullis could not hold is refused before LDAP sees it (the filter escaping is the second wall).
    if (validateUsername(username).length > 0) return noMatch;
    // NOTE: an empty simple bind is an anonymous bind, which servers accept: never let one through.
    if (!password) return badCredentials;
    const known = await this.read.userByUsername(username);
    if (known) {
      if (known['bot'] === true || known['enabled'] !== true) return noMatch;
      if ((await this.read.passwordHashOf(known['id'] as number)) !== null) return noMatch;
    }
    try {
      const entry = await this.directory.authenticate(username, password);
      if (!entry) return badCredentials;
      if (known) return { kind: 'match', userId: known['id'] as number };
      const created = await this.commands.execute(new EnsureDirectoryUserCommand(entry));
      return created ? { kind: 'match', userId: created } : badCredentials;
    } catch (e) {
      if (!(e instanceof LdapUnavailable)) throw e;
      this.logger.warn(e.message);
      return { kind: 'error', reason: 'unavailable' };
    }
  }
}
