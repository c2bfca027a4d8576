import { EventStoreConnectionStringError, parseEventStoreConnection } from './eventstoredb-connection';
import { redactCredentials } from '../shared/redact';

// Only these files "exist" for the parser; the real file check is exercised by the adapter spec.
const files = new Set(['/etc/esdb/ca.crt', '/etc/esdb/user.crt', '/etc/esdb/user.key', '/etc/esdb/my ca.crt']);
const parse = (text: string) => parseEventStoreConnection(text, { fileReadable: (path) => files.has(path) });
const SECRET = 'S3cr3t-Pw';

describe('parseEventStoreConnection', () => {
  it.each([
    ['single node, TLS by default', 'esdb://db.example.com:2113', false, 'db.example.com:2113', true, null],
    ['default port', 'esdb://db.example.com', false, 'db.example.com:2113', true, null],
    ['insecure dev node', 'esdb://127.0.0.1:2113?tls=false', false, '127.0.0.1:2113', false, null],
    [
      'TLS with a private CA',
      'esdb://admin:changeit@db.example.com:2113?tls=true&tlsCAFile=/etc/esdb/ca.crt',
      false,
      'db.example.com:2113',
      true,
      '/etc/esdb/ca.crt',
    ],
    [
      'gossip over three seeds',
      'esdb+discover://admin:changeit@node1:2113,node2:2113,node3:2113?tlsCAFile=/etc/esdb/ca.crt&nodePreference=leader',
      true,
      'node1:2113,node2:2113,node3:2113',
      true,
      '/etc/esdb/ca.crt',
    ],
    [
      'gossip through one DNS name',
      'esdb+discover://cluster.example.com:2113',
      true,
      'cluster.example.com:2113',
      true,
      null,
    ],
    [
      '%-encoded CA path, option case',
      'esdb://h?TLSCAFILE=/etc/esdb/my%20ca.crt',
      false,
      'h:2113',
      true,
      '/etc/esdb/my ca.crt',
    ],
    [
      'client certificate pair',
      'esdb://h?userCertFile=/etc/esdb/user.crt&userKeyFile=/etc/esdb/user.key',
      false,
      'h:2113',
      true,
      null,
    ],
    ['trailing slash, spaces', '  esdb://h:1113/  ', false, 'h:1113', true, null],
    [
      'timing options',
      'esdb://h?keepAliveInterval=10000&gossipTimeout=3000&defaultDeadline=5000',
      false,
      'h:2113',
      true,
      null,
    ],
  ])('accepts %s', (_name, text, discover, hosts, tls, ca) => {
    const connection = parse(text);
    expect(connection.discover).toBe(discover);
    expect(connection.hosts.map((h) => `${h.host}:${h.port}`).join(',')).toBe(hosts);
    expect(connection.tls).toBe(tls);
    expect(connection.tlsCAFile).toBe(ca);
    expect(connection.safe).not.toContain('changeit');
  });

  it('shows credentials as *** in the loggable form', () => {
    expect(parse(`esdb://admin:${SECRET}@h:2113?tls=false`).safe).toBe('esdb://***@h:2113 (tls=false)');
  });

  // Every row carries the secret somewhere; the message must name the problem and never echo it.
  it.each([
    ['wrong scheme', `http://admin:${SECRET}@h:2113`, /scheme must be esdb:\/\/ or esdb\+discover:\/\//],
    ['kurrentdb scheme', `kurrentdb://admin:${SECRET}@h:2113`, /KurrentDB servers accept esdb:\/\//],
    ['no scheme', `admin:${SECRET}@h:2113`, /must start with esdb:\/\//],
    ['empty password', `esdb://admin:@h:2113`, /both parts non-empty/],
    ['no password', `esdb://${SECRET}@h:2113`, /username:password@/],
    ['unencoded @ in password', `esdb://admin:${SECRET}@x@h:2113`, /%-encode/],
    ['unencoded : in password', `esdb://admin:${SECRET}:x@h:2113`, /%-encode/],
    ['unencoded / in password', `esdb://admin:${SECRET}/x@h:2113`, /path|%-encode/],
    ['unencoded ? in password', `esdb://admin:${SECRET}?x@h:2113`, /%-encode/],
    ['bad %-escape in password', `esdb://admin:${SECRET}%zz@h:2113`, /password has a malformed %-escape/],
    ['no host', `esdb://admin:${SECRET}@`, /names no host/],
    ['port out of range', `esdb://admin:${SECRET}@h:70000`, /port that is not 1-65535/],
    ['port not a number', `esdb://admin:${SECRET}@h:abc`, /port that is not 1-65535/],
    ['IPv6 literal', `esdb://admin:${SECRET}@[::1]:2113`, /not a host name or IPv4/],
    ['host with shell characters', `esdb://admin:${SECRET}@h;rm -rf:2113`, /not a host name/],
    ['path after hosts', `esdb://admin:${SECRET}@h:2113/db`, /must not have a path/],
    ['unknown option (client would print the string)', `esdb://admin:${SECRET}@h?foo=1`, /unknown option "foo"/],
    ['secret-looking option key', `esdb://admin:x@h?${SECRET}!=1`, /malformed option/],
    ['option without value', `esdb://admin:${SECRET}@h?tls`, /option tls has no value/],
    ['tls not boolean', `esdb://admin:${SECRET}@h?tls=yes`, /tls must be true or false/],
    ['tlsVerifyCert=false (ignored by the client)', `esdb://admin:${SECRET}@h?tlsVerifyCert=false`, /tlsCAFile/],
    [
      'missing CA file',
      `esdb://admin:${SECRET}@h?tlsCAFile=/nope/ca.crt`,
      /tlsCAFile file \/nope\/ca.crt is not readable/,
    ],
    ['CA with tls=false', `esdb://admin:${SECRET}@h?tls=false&tlsCAFile=/etc/esdb/ca.crt`, /contradicts/],
    ['cert without key', `esdb://admin:${SECRET}@h?userCertFile=/etc/esdb/user.crt`, /go together/],
    ['integer option not integer', `esdb://admin:${SECRET}@h?gossipTimeout=soon`, /gossipTimeout must be an integer/],
    ['node preference unknown', `esdb://admin:${SECRET}@h?nodePreference=fastest`, /nodePreference must be/],
    ['option twice', `esdb://admin:${SECRET}@h?tls=true&TLS=false`, /given twice/],
  ])('rejects %s without echoing the password', (_name, text, message) => {
    let error: unknown;
    try {
      parse(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventStoreConnectionStringError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(SECRET);
  });
});

describe('redactCredentials', () => {
  it.each([
    ['esdb user-info', `esdb://admin:${SECRET}@h:2113`, 'esdb://***@h:2113'],
    ['mongodb multi-host', `mongodb://u:${SECRET}@a:1,b:2/db?w=majority`, 'mongodb://***@a:1,b:2/db?w=majority'],
    ['@ inside the password', `nats://u:${SECRET}@x@h:4222`, 'nats://***@h:4222'],
    ['/ inside the password', `mongodb://u:${SECRET}/x@h/db`, 'mongodb://***@h/db'],
    [
      'inside an error message',
      `connect failed for esdb://a:${SECRET}@h:1 (refused)`,
      'connect failed for esdb://***@h:1 (refused)',
    ],
    [
      'password option',
      `mongodb://h/?authMechanism=PLAIN&password=${SECRET}&w=1`,
      'mongodb://h/?authMechanism=PLAIN&password=***&w=1',
    ],
    ['nothing secret', 'esdb://h:2113?tls=false', 'esdb://h:2113?tls=false'],
  ])('%s', (_name, text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
    expect(redactCredentials(text)).not.toContain(SECRET);
  });
});
