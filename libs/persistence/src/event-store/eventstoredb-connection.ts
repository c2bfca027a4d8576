import { accessSync, constants as fsConstants } from 'node:fs';

/**
 * EventStoreConnectionStringError says what is wrong with an EventStoreDB connection string without
 * quoting it: the client's own parser and its "unknown option" warning print the whole string,
 * password included, so strings are checked here first and only names of parts appear in messages.
 */
export class EventStoreConnectionStringError extends Error {
  constructor(message: string) {
    super(`EventStoreDB connection string: ${message}`);
    this.name = 'EventStoreConnectionStringError';
  }
}

/** EventStoreConnection is a validated connection string and what logs may say about it. */
export interface EventStoreConnection {
  /** discover: esdb+discover:// (cluster gossip through the seeds or one DNS name) rather than esdb://. */
  readonly discover: boolean;
  readonly hosts: readonly { readonly host: string; readonly port: number }[];
  /** tls is on unless the string says tls=false (the client's default). */
  readonly tls: boolean;
  readonly tlsCAFile: string | null;
  readonly hasCredentials: boolean;
  /** safe is the string with user-info and query removed, for logs and health messages. */
  readonly safe: string;
}

// The client's option names, matched as it does: case-insensitive, '-' and '_' ignored.
const BOOLEAN_OPTIONS = ['tls', 'tlsVerifyCert', 'throwOnAppendFailure'];
const INTEGER_OPTIONS = [
  'maxDiscoverAttempts',
  'defaultDeadline',
  'discoveryInterval',
  'gossipTimeout',
  'keepAliveInterval',
  'keepAliveTimeout',
];
const FILE_OPTIONS = ['tlsCAFile', 'userCertFile', 'userKeyFile'];
const OTHER_OPTIONS = ['connectionName', 'nodePreference'];
const NODE_PREFERENCES = ['leader', 'follower', 'readonlyreplica', 'random'];
const flat = (name: string) => name.trim().toLowerCase().replace(/[_-]/g, '');
const KNOWN = new Map(
  [...BOOLEAN_OPTIONS, ...INTEGER_OPTIONS, ...FILE_OPTIONS, ...OTHER_OPTIONS].map((name) => [flat(name), name]),
);
// Host names and IPv4 addresses; the client splits host from port on ':', so IPv6 literals cannot work.
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** ConnectionCheckOptions: `fileReadable` is injectable so the parser is testable without files. */
export interface ConnectionCheckOptions {
  readonly fileReadable?: (path: string) => boolean;
}

function readable(path: string): boolean {
  try {
    accessSync(path, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new EventStoreConnectionStringError(`${what} has a malformed %-escape`);
  }
}

/**
 * parseEventStoreConnection validates an esdb:// or esdb+discover:// string the way
 * @eventstore/db-client 6.x reads it, and stricter where the client would only warn: unknown
 * options and tlsVerifyCert=false (which the client ignores) are errors, and files named by
 * tlsCAFile, userCertFile and userKeyFile must be readable at start rather than at the first call.
 */
export function parseEventStoreConnection(text: string, options: ConnectionCheckOptions = {}): EventStoreConnection {
  const fileReadable = options.fileReadable ?? readable;
  const input = text.trim().replace(/\/+$/, '');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
  if (!scheme) throw new EventStoreConnectionStringError('must start with esdb:// or esdb+discover://');
  const protocol = scheme[1] ?? '';
  if (protocol !== 'esdb' && protocol !== 'esdb+discover') {
    const hint = /^kurrent(db)?(\+discover)?$/i.test(protocol)
      ? ' (KurrentDB servers accept esdb:// with this client; write esdb:// or esdb+discover://)'
      : '';
    throw new EventStoreConnectionStringError(`scheme must be esdb:// or esdb+discover://${hint}`);
  }
  const rest = input.slice(scheme[0].length);
  const queryAt = rest.indexOf('?');
  let authority = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rest.slice(queryAt + 1);

  // No '@' before the '?' but one after: the '?' was part of a password, not the start of the options.
  if (!authority.includes('@') && query.includes('@'))
    throw new EventStoreConnectionStringError("the password holds '?' or '#'; %-encode them (encodeURIComponent)");
  let hasCredentials = false;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = userInfo.indexOf(':');
    if (colon <= 0 || colon === userInfo.length - 1)
      throw new EventStoreConnectionStringError('credentials must be username:password@ with both parts non-empty');
    // The client splits on the first '@' and ':'; anything it would cut must be %-encoded.
    if (/[@/?#]/.test(userInfo) || userInfo.indexOf(':', colon + 1) >= 0)
      throw new EventStoreConnectionStringError(
        "the password holds ':', '@', '/', '?' or '#'; %-encode them (encodeURIComponent)",
      );
    decode(userInfo.slice(0, colon), 'the username');
    decode(userInfo.slice(colon + 1), 'the password');
    hasCredentials = true;
  }
  if (authority.includes('/')) throw new EventStoreConnectionStringError('must not have a path after the hosts');
  if (authority === '') throw new EventStoreConnectionStringError('names no host');
  const hosts = authority.split(',').map((entry, i) => {
    const [host = '', port = '2113', ...extra] = entry.trim().split(':');
    if (extra.length > 0 || !HOST.test(host))
      throw new EventStoreConnectionStringError(`host #${i + 1} is not a host name or IPv4 address`);
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
      throw new EventStoreConnectionStringError(`host #${i + 1} has a port that is not 1-65535`);
    return { host, port: Number(port) };
  });

  let tls = true;
  let tlsCAFile: string | null = null;
  const seen = new Set<string>();
  for (const pair of query === '' ? [] : query.split('&')) {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
    const key = KNOWN.get(flat(rawKey));
    // An unknown key is named only if it looks like a key: a stray password fragment must not be echoed.
    if (!key)
      throw new EventStoreConnectionStringError(
        /^[A-Za-z][A-Za-z0-9_-]{0,40}$/.test(rawKey)
          ? `unknown option "${rawKey}"`
          : 'has a malformed option (expected ?key=value&key=value)',
      );
    if (value === '') throw new EventStoreConnectionStringError(`option ${key} has no value`);
    if (seen.has(key)) throw new EventStoreConnectionStringError(`option ${key} is given twice`);
    seen.add(key);
    if (BOOLEAN_OPTIONS.includes(key)) {
      if (value !== 'true' && value !== 'false')
        throw new EventStoreConnectionStringError(`option ${key} must be true or false`);
      if (key === 'tls') tls = value === 'true';
      if (key === 'tlsVerifyCert' && value === 'false')
        throw new EventStoreConnectionStringError(
          'tlsVerifyCert=false is ignored by the client; name the CA with tlsCAFile=/path/ca.crt instead',
        );
    } else if (INTEGER_OPTIONS.includes(key)) {
      if (!/^\d{1,9}$/.test(value)) throw new EventStoreConnectionStringError(`option ${key} must be an integer`);
    } else if (FILE_OPTIONS.includes(key)) {
      const path = decode(value, `option ${key}`);
      if (!fileReadable(path)) throw new EventStoreConnectionStringError(`${key} file ${path} is not readable`);
      if (key === 'tlsCAFile') tlsCAFile = path;
    } else if (key === 'nodePreference') {
      if (!NODE_PREFERENCES.includes(flat(value)))
        throw new EventStoreConnectionStringError(
          'option nodePreference must be leader, follower, readOnlyReplica or random',
        );
    }
  }
  if (seen.has('userCertFile') !== seen.has('userKeyFile'))
    throw new EventStoreConnectionStringError('userCertFile and userKeyFile go together');
  if (!tls && (tlsCAFile !== null || seen.has('userCertFile')))
    throw new EventStoreConnectionStringError('tls=false contradicts tlsCAFile/userCertFile');
  const hostList = hosts.map(({ host, port }) => `${host}:${port}`).join(',');
  return {
    discover: protocol === 'esdb+discover',
    hosts,
    tls,
    tlsCAFile,
    hasCredentials,
    safe: `${protocol}://${hasCredentials ? '***@' : ''}${hostList}${tls ? '' : ' (tls=false)'}`,
  };
}
