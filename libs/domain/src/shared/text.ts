/** hasControlChars finds C0/C1 control characters, which never belong in a name shown to people. */
export function hasControlChars(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return true;
  }
  return false;
}

/** utf8Length counts UTF-8 bytes without TextEncoder, so limits are stated in bytes like the database's. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** charLength counts code points, because Portus (Ruby String#length) limits characters, not UTF-16 units. */
export function charLength(s: string): number {
  return [...s].length;
}
