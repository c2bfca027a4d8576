import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { Client, InvalidCredentialsError, SizeLimitExceededError, type Entry } from 'ldapts';
import { APP_CONFIG, type AppConfig, type LdapConfig } from '@portcullis/config';
import { isDnUnder, memberDn, normalizeDn, userFilter } from './ldap-syntax';

/** DirectoryUser is an LDAP entry that matched a login: its DN, the uid value, and what creation needs. */
export interface DirectoryUser {
  readonly dn: string;
  readonly uid: string;
  readonly email: string | null;
  /** underAdminBase: the entry lies under `ldap.admin_base` (compared as parsed DNs). */
  readonly underAdminBase: boolean;
}

/** DirectoryGroup is a groupOfNames or groupOfUniqueNames under `ldap.group_base`; member DNs are normalized. */
export interface DirectoryGroup {
  readonly dn: string;
  readonly cn: string;
  readonly members: readonly string[];
}

/** LdapUnavailable: the directory could not be asked (down, timeout, TLS, service bind refused). */
export class LdapUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LdapUnavailable';
  }
}

const GROUPS_FILTER = '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))';
const PAGE = 500;

const first = (entry: Entry, attr: string): string | null => {
  const v = entry[attr] ?? entry[Object.keys(entry).find((k) => k.toLowerCase() === attr.toLowerCase()) ?? ''];
  const value = Array.isArray(v) ? v[0] : v;
  return value === undefined ? null : String(value);
};
const all = (entry: Entry, attr: string): string[] => {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attr.toLowerCase());
  const v = key ? entry[key] : undefined;
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
};

/**
 * LdapDirectory is the ldapts adapter: one connection per question, closed at once, so no pooled
 * connection can be left bound as a user. Logins are search-then-bind: the service account (or
 * anonymous) finds the entry by `(<uid>=<escaped name>)` AND `ldap.filter`, then the entry's own DN
 * binds with the password. User input never becomes a DN. Login searches ask for the uid and email
 * attributes only, never memberOf: a user in 500 groups costs the same as one in none.
 */
@Injectable()
export class LdapDirectory {
  private readonly ca: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) private readonly appConfig: AppConfig) {
    this.ca = appConfig.ldap?.caFile ? readFileSync(appConfig.ldap.caFile) : undefined;
  }

  get enabled(): boolean {
    return this.appConfig.ldap !== null;
  }

  private get config(): LdapConfig {
    if (!this.appConfig.ldap) throw new LdapUnavailable('LDAP is not enabled');
    return this.appConfig.ldap;
  }

  /** where names the server for messages (never the bind password). */
  get where(): string {
    const c = this.config;
    return `${c.encryption === 'simple_tls' ? 'ldaps' : 'ldap'}://${c.hostname}:${c.port}`;
  }

  /**
   * authenticate returns the matching entry when `password` binds as it, null when no single entry
   * matches or the password is wrong. Empty passwords never reach here (an empty simple bind is an
   * anonymous bind, which servers accept).
   */
  async authenticate(username: string, password: string): Promise<DirectoryUser | null> {
    if (!password) return null;
    return this.session(async (client) => {
      const found = await this.findUser(client, username);
      if (!found) return null;
      try {
        await client.bind(found.dn, password);
      } catch (e) {
        if (e instanceof InvalidCredentialsError) return null;
        throw e;
      }
      return found;
    });
  }

  /** ping binds as the service account (or anonymously): what `/api/v1/health` reports. */
  async ping(): Promise<string> {
    await this.session(async () => undefined);
    return `LDAP server ${this.where} is reachable`;
  }

  /** groups lists the groups under `groupBase` with their member DNs (normalized). */
  async groups(groupBase: string): Promise<DirectoryGroup[]> {
    return this.session(async (client) => {
      const { searchEntries } = await client.search(groupBase, {
        scope: 'sub',
        filter: GROUPS_FILTER,
        attributes: ['cn', 'member', 'uniqueMember'],
        paged: { pageSize: PAGE },
      });
      return searchEntries.flatMap((e) => {
        const cn = first(e, 'cn');
        if (!cn) return [];
        const members = [...all(e, 'member'), ...all(e, 'uniqueMember')].flatMap((m) => {
          try {
            return [normalizeDn(memberDn(m))];
          } catch {
            return []; // a member value that is not a DN names nobody
          }
        });
        return [{ dn: e.dn, cn, members }];
      });
    });
  }

  /** users maps the normalized DN of every entry a login could match (base and admin_base) to its uid. */
  async users(): Promise<Map<string, string>> {
    const c = this.config;
    return this.session(async (client) => {
      const map = new Map<string, string>();
      const filter = c.filter
        ? `(&(${c.uid}=*)${c.filter.trim().startsWith('(') ? c.filter.trim() : `(${c.filter})`})`
        : `(${c.uid}=*)`;
      for (const base of this.bases()) {
        const { searchEntries } = await client.search(base, {
          scope: 'sub',
          filter,
          attributes: [c.uid],
          paged: { pageSize: PAGE },
        });
        for (const e of searchEntries) {
          const uid = first(e, c.uid);
          if (uid) map.set(normalizeDn(e.dn), uid);
        }
      }
      return map;
    });
  }

  /** bases: admin_base first (Portus tries it first), then base, unless admin_base already lies under base. */
  private bases(): string[] {
    const c = this.config;
    if (!c.adminBase || isDnUnder(c.adminBase, c.base)) return [c.base];
    return [c.adminBase, c.base];
  }

  private async findUser(client: Client, username: string): Promise<DirectoryUser | null> {
    const c = this.config;
    const attrs = [c.uid, ...(c.guessEmail.enabled && c.guessEmail.attr ? [c.guessEmail.attr] : [])];
    for (const base of this.bases()) {
      let searchEntries: Entry[];
      try {
        // Two are enough to see that a name is ambiguous.
        ({ searchEntries } = await client.search(base, {
          scope: 'sub',
          filter: userFilter(c.uid, username, c.filter),
          attributes: attrs,
          sizeLimit: 2,
        }));
      } catch (e) {
        if (e instanceof SizeLimitExceededError) return null;
        throw e;
      }
      // NOTE: an ambiguous name binds as nobody: picking one entry would let whoever shares the uid in.
      if (searchEntries.length > 1) return null;
      const [entry] = searchEntries;
      if (!entry) continue;
      return {
        dn: entry.dn,
        uid: first(entry, c.uid) ?? username,
        email: c.guessEmail.attr ? first(entry, c.guessEmail.attr) : null,
        underAdminBase: c.adminBase !== null && isDnUnder(entry.dn, c.adminBase),
      };
    }
    return null;
  }

  /** session opens a connection (TLS as configured), binds as the service account, runs `work`, and closes. */
  private async session<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const c = this.config;
    const tlsOptions = { ca: this.ca, servername: c.hostname };
    const client = new Client({
      url: `${this.where}`,
      timeout: c.timeoutMs,
      connectTimeout: c.timeoutMs,
      ...(c.encryption === 'simple_tls' ? { tlsOptions } : {}),
    });
    try {
      if (c.encryption === 'start_tls') await client.startTLS(tlsOptions);
      if (c.bind) await client.bind(c.bind.dn, c.bind.password.reveal());
      return await work(client);
    } catch (e) {
      throw this.unavailable(e);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** unavailable turns a library error into a message safe to log and show: server named, password redacted. */
  private unavailable(e: unknown): Error {
    if (e instanceof LdapUnavailable) return e;
    const c = this.config;
    const err = e as Error & { code?: string | number };
    const detail = `${err.name ?? 'Error'}${err.code !== undefined ? ` ${err.code}` : ''}: ${err.message ?? String(e)}`;
    const text = `LDAP server ${this.where} is unavailable (${detail})`;
    return new LdapUnavailable(c.bind ? c.bind.password.redact(text) : text);
  }
}
