/**
 * ldap-syntax: the pure string rules of LDAP that Portcullis relies on for safety. User input only ever
 * enters LDAP as a filter *value* (RFC 4515 escaped); it never becomes a DN (search-then-bind). DNs
 * that come back from the directory are compared component by component after RFC 4514 parsing, never
 * as strings: `cn=mallory\,ou=admins,ou=people,…` contains ",ou=admins," but is not under ou=admins.
 */
import { ATTRIBUTE_PATTERN } from '@portcullis/config';

/** escapeFilterValue escapes a value for an RFC 4515 filter: `*`, `(`, `)`, `\`, NUL and other control characters. */
export function escapeFilterValue(value: string): string {
  // NOTE: non-ASCII stays as UTF-8 (RFC 4515 allows it): ldapts decodes `\xx` escapes byte by byte into
  // single characters, so escaping multi-byte characters would put mojibake on the wire.
  let out = '';
  for (const c of value) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f || '*()\\'.includes(c) ? `\\${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

/** userFilter is `(&(<uid>=<escaped username>)<ldap.filter>)`, or just the equality when no extra filter is set. */
export function userFilter(uidAttribute: string, username: string, extra: string | null): string {
  if (!ATTRIBUTE_PATTERN.test(uidAttribute)) throw new Error(`invalid LDAP attribute name ${uidAttribute}`);
  const equality = `(${uidAttribute}=${escapeFilterValue(username)})`;
  if (!extra) return equality;
  const wrapped = extra.trim().startsWith('(') ? extra.trim() : `(${extra.trim()})`;
  return `(&${equality}${wrapped})`;
}

/** Rdn is one relative DN: its attribute=value pairs (several when joined by `+`), types lower-cased. */
export type Rdn = ReadonlyArray<readonly [type: string, value: string]>;

/** DnSyntaxError: a DN that does not parse is never treated as matching anything. */
export class DnSyntaxError extends Error {}

/** parseDn splits an RFC 4514 DN into RDNs (most specific first), decoding `\,` and `\2C` escapes. */
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  let pairs: Array<readonly [string, string]> = [];
  let type = '';
  let value: number[] = [];
  let inValue = false;
  let quoted = false;
  let seen = false;
  const bytes = Buffer.from(dn, 'utf8');
  const endPair = () => {
    if (!inValue || !type.trim()) throw new DnSyntaxError(`invalid DN: ${dn}`);
    const text = Buffer.from(value).toString('utf8');
    // Unescaped leading/trailing spaces are insignificant (RFC 4514 §3); escaped ones were kept as bytes.
    pairs.push([type.trim().toLowerCase(), quoted ? text : text.replace(/^ +| +$/g, '')]);
    [type, value, inValue, quoted] = ['', [], false, false];
  };
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]);
    seen = true;
    if (!inValue) {
      if (c === '=') inValue = true;
      else if (c === ',' || c === '+') throw new DnSyntaxError(`invalid DN: ${dn}`);
      else type += c;
      continue;
    }
    if (c === '\\') {
      const next = String.fromCharCode(bytes[i + 1] ?? 0);
      const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        value.push(parseInt(hex, 16));
        i += 2;
      } else if (i + 1 < bytes.length && ' "#+,;<=>\\'.includes(next)) {
        value.push(bytes[i + 1]);
        i += 1;
      } else throw new DnSyntaxError(`invalid escape in DN: ${dn}`);
    } else if (c === '"' && value.length === 0) {
      quoted = true;
      const end = dn.indexOf('"', i + 1);
      if (end < 0) throw new DnSyntaxError(`unterminated quote in DN: ${dn}`);
      value.push(...Buffer.from(dn.slice(i + 1, end), 'utf8'));
      i = end;
    } else if (c === '+') endPair();
    else if (c === ',' || c === ';') {
      endPair();
      rdns.push(pairs);
      pairs = [];
    } else value.push(bytes[i]);
  }
  if (!seen) return [];
  endPair();
  rdns.push(pairs);
  return rdns;
}

/**
 * normalizeDn gives a comparable form: types and values lower-cased (the attributes used in DNs here,
 * uid/cn/ou/dc, match case-insensitively), multi-valued RDNs sorted, values re-escaped.
 */
export function normalizeDn(dn: string): string {
  return normalizedRdns(dn).join(',');
}

function normalizedRdns(dn: string): string[] {
  return parseDn(dn).map((rdn) =>
    rdn
      .map(([t, v]) => `${t}=${escapeDnValue(v.toLowerCase())}`)
      .sort()
      .join('+'),
  );
}

/** escapeDnValue is RFC 4514 §2.4 escaping for one attribute value. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\"+,;<=>]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replace(/\0/g, '\\00');
}

/** isDnUnder says whether `dn` equals `base` or lies below it, comparing parsed RDNs; unparsable DNs are never under. */
export function isDnUnder(dn: string, base: string): boolean {
  try {
    const entry = normalizedRdns(dn);
    const suffix = normalizedRdns(base);
    if (suffix.length === 0 || suffix.length > entry.length) return false;
    const tail = entry.slice(entry.length - suffix.length);
    return tail.every((rdn, i) => rdn === suffix[i]);
  } catch (e) {
    if (e instanceof DnSyntaxError) return false;
    throw e;
  }
}

/** memberDn strips the optional `#'…'B` unique identifier of a groupOfUniqueNames `uniqueMember` (RFC 4517 NameAndOptionalUID). */
export const memberDn = (value: string): string => value.replace(/#'[01]*'B$/, '');

/** guessEmail is Portus's guess_email without `attr`: `<username>@<dc parts of base>`, or null when base has no dc. */
export function guessEmail(username: string, base: string): string | null {
  try {
    const domain = parseDn(base)
      .flatMap((rdn) => rdn.filter(([t]) => t === 'dc').map(([, v]) => v))
      .join('.');
    return domain ? `${username}@${domain}` : null;
  } catch {
    return null;
  }
}
