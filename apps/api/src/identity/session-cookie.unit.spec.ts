import {
  clearedSessionCookie,
  csrfRefusal,
  csrfTokenFor,
  type CsrfInput,
  newSessionSecret,
  originAllowed,
  readSessionCookie,
  sessionCookie,
} from './session-cookie';

const secret = 'A'.repeat(43);

describe('readSessionCookie', () => {
  it.each<[string, string | undefined, string | null]>([
    ['no header', undefined, null],
    ['only our cookie', `portcullis_session=${secret}`, secret],
    ['among others, with spaces', `a=1;  portcullis_session=${secret} ; b=2`, secret],
    ['quoted value', `portcullis_session="${secret}"`, secret],
    // hostile rows
    [
      'duplicate (cookie tossing from a sibling domain)',
      `portcullis_session=${secret}; portcullis_session=${'B'.repeat(43)}`,
      null,
    ],
    ['duplicate with the same value', `portcullis_session=${secret}; portcullis_session=${secret}`, null],
    ['prefix-named cookie', `xportcullis_session=${secret}`, null],
    ['name as a value', `a=portcullis_session=${secret}`, null],
    ['too short', `portcullis_session=${secret.slice(1)}`, null],
    ['too long', `portcullis_session=${secret}A`, null],
    ['non base64url characters', `portcullis_session=${'A'.repeat(42)}+`, null],
    ['encoded characters', `portcullis_session=${'A'.repeat(40)}%3D%3D`, null],
    ['CRLF injection', `portcullis_session=${secret}\r\nX-Evil: 1`, null],
    ['empty value', 'portcullis_session=', null],
    ['no equals sign', 'portcullis_session', null],
    ['unicode look-alike name', `portcullis_sessіon=${secret}`, null],
    ['huge header', `a=${'x'.repeat(9000)}; portcullis_session=${secret}`, null],
  ])('%s', (_, header, out) => expect(readSessionCookie(header)).toBe(out));

  it('reads back what newSessionSecret makes', () => {
    const s = newSessionSecret();
    expect(readSessionCookie(`portcullis_session=${s}`)).toBe(s);
  });
});

describe('sessionCookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /api, Secure only over TLS', () => {
    expect(sessionCookie(secret, 60, false)).toBe(
      `portcullis_session=${secret}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=60`,
    );
    expect(sessionCookie(secret, 60, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toMatch(
      /^portcullis_session=; Path=\/api; HttpOnly; SameSite=Strict; Max-Age=0; Expires=/,
    );
  });
});

describe('originAllowed', () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    [undefined, 'portcullis.test', true],
    ['http://portcullis.test', 'portcullis.test', true],
    ['https://portcullis.test:8443', 'portcullis.test:8443', true],
    ['https://PORTCULLIS.test', 'portcullis.test', true],
    // hostile rows
    ['https://evil.test', 'portcullis.test', false],
    ['https://portcullis.test.evil.test', 'portcullis.test', false],
    ['https://portcullis.test@evil.test', 'portcullis.test', false],
    ['https://evil.test@portcullis.test', 'portcullis.test', false],
    ['https://portcullis.test:444', 'portcullis.test:443', false],
    ['http://portcullis.test/path', 'portcullis.test', false],
    ['null', 'portcullis.test', false],
    ['', 'portcullis.test', false],
    ['file://portcullis.test', 'portcullis.test', false],
    ['javascript:alert(1)//portcullis.test', 'portcullis.test', false],
    ['http://portcullis.test', undefined, false],
  ])('Origin %j on host %j → %s', (origin, host, out) => expect(originAllowed(origin, host)).toBe(out));
});

describe('csrfRefusal', () => {
  const expected = csrfTokenFor(secret);
  const base: CsrfInput = { method: 'POST', token: expected, expected, origin: undefined, host: 'portcullis.test' };
  it.each<[string, Partial<CsrfInput>, RegExp | null]>([
    ['a write with the token', {}, null],
    ['a GET without a token', { method: 'GET', token: undefined }, null],
    ['same-origin write', { origin: 'http://portcullis.test' }, null],
    // hostile rows
    ['a write without the token', { token: undefined }, /missing/],
    ['a DELETE without the token', { method: 'DELETE', token: undefined }, /missing/],
    ['lower-case method without the token', { method: 'put', token: undefined }, /missing/],
    ['an empty token', { token: '' }, /missing/],
    ['another session’s token', { token: csrfTokenFor('B'.repeat(43)) }, /invalid/],
    ['a truncated token', { token: expected.slice(0, -1) }, /invalid/],
    ['the session secret itself as token', { token: secret }, /invalid/],
    ['a foreign Origin with the right token', { origin: 'https://evil.test' }, /cross-origin/],
    ['a foreign Origin on a GET', { method: 'GET', origin: 'https://evil.test' }, /cross-origin/],
  ])('%s', (_, over, out) => {
    const refusal = csrfRefusal({ ...base, ...over });
    if (out === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(out);
  });
});
