import { FilterParser } from 'ldapts';
import { escapeFilterValue, guessEmail, isDnUnder, memberDn, normalizeDn, parseDn, userFilter } from './ldap-syntax';

describe('escapeFilterValue (RFC 4515)', () => {
  // [input, escaped, why]
  const rows: Array<[string, string, string]> = [
    ['alice', 'alice', 'plain names pass unchanged'],
    ['*', '\\2a', 'a wildcard would match every entry'],
    ['al*', 'al\\2a', 'a trailing wildcard would match alfred too'],
    ['alice)(uid=*', 'alice\\29\\28uid=\\2a', 'closing the equality and OR-ing in a match-all'],
    ['*)(|(objectClass=*', '\\2a\\29\\28|\\28objectClass=\\2a', 'the classic injection row'],
    ['a\\2a', 'a\\5c2a', 'a backslash cannot smuggle an escape'],
    ['nul\u0000byte', 'nul\\00byte', 'NUL ends C strings in some servers'],
    ['ümit', 'ümit', 'non-ASCII stays UTF-8 (RFC 4515 allows it)'],
    ['tab\there', 'tab\\09here', 'control characters are escaped'],
  ];
  it.each(rows)('%j → %j (%s)', (input, expected) => {
    expect(escapeFilterValue(input)).toBe(expected);
  });

  it.each(rows)('the filter built from %j parses to one equality on the literal value', (input) => {
    const parsed = FilterParser.parseString(userFilter('uid', input, null)) as unknown as {
      attribute: string;
      value: string | Buffer;
    };
    expect(parsed.attribute).toBe('uid');
    expect(Buffer.from(parsed.value as string).toString('utf8')).toBe(input);
  });
});

describe('userFilter', () => {
  it('ANDs the operator filter, with or without parentheses', () => {
    expect(userFilter('uid', 'bob', '(objectClass=inetOrgPerson)')).toBe('(&(uid=bob)(objectClass=inetOrgPerson))');
    expect(userFilter('uid', 'bob', 'objectClass=person')).toBe('(&(uid=bob)(objectClass=person))');
  });
  it('refuses an attribute name that could carry a filter', () => {
    expect(() => userFilter('uid=*)(cn', 'bob', null)).toThrow(/attribute/);
  });
});

describe('DNs (RFC 4514)', () => {
  const admins = 'ou=admins,dc=example,dc=org';
  // [dn, under admins?, why]
  const rows: Array<[string, boolean, string]> = [
    ['uid=carol,ou=admins,dc=example,dc=org', true, 'a direct child'],
    ['UID=Carol, OU=Admins, DC=Example, DC=Org', true, 'types and values compare case-insensitively, spaces ignored'],
    ['ou=admins,dc=example,dc=org', true, 'the base itself'],
    ['uid=alice,ou=people,dc=example,dc=org', false, 'a sibling branch'],
    ['cn=mallory\\,ou=admins,ou=people,dc=example,dc=org', false, 'an escaped comma is part of the value'],
    ['cn=mallory\\2Cou\\3Dadmins,ou=people,dc=example,dc=org', false, "slapd's hex-escaped form of the same"],
    ['uid=x,ou=admins\\,dc=example\\,dc=org,ou=people,dc=example,dc=org', false, 'an RDN value ending like the base'],
    ['uid=x,ou=admins-fake,dc=example,dc=org', false, 'a prefix of an RDN value is not the RDN'],
    ['uid=x,ou=admins,dc=example,dc=org,dc=evil', false, 'the base must be the suffix, not in the middle'],
    ['uid=x\\', false, 'a DN that does not parse is under nothing'],
  ];
  it.each(rows)('%j under ou=admins → %j (%s)', (dn, expected) => {
    expect(isDnUnder(dn, admins)).toBe(expected);
  });

  it('decodes escapes and multi-valued RDNs', () => {
    expect(parseDn('cn=a\\2Cb+uid=c,dc=org')).toEqual([
      [
        ['cn', 'a,b'],
        ['uid', 'c'],
      ],
      [['dc', 'org']],
    ]);
    expect(normalizeDn('UID=C+CN=A\\,B, DC=Org')).toBe('cn=a\\,b+uid=c,dc=org');
  });

  it('strips the optional unique identifier of uniqueMember values', () => {
    expect(memberDn("uid=bob,ou=people,dc=example,dc=org#'0101'B")).toBe('uid=bob,ou=people,dc=example,dc=org');
  });

  it("guesses an email from the base's dc parts", () => {
    expect(guessEmail('bob', 'ou=people,dc=example,dc=org')).toBe('bob@example.org');
    expect(guessEmail('bob', 'o=corp')).toBeNull();
  });
});
