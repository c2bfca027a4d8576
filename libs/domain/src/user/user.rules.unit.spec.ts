import { fold } from '../shared/message';
import { userDecider } from './user.decide';
import { userCanLogin } from './user';
import { makeValidNamespaceName, validateEmail, validatePassword, validateUsername } from './user.rules';

describe('validateUsername', () => {
  it.each(['alice', 'Alice.Smith', 'a', 'bob_1-x', '9lives'])('accepts %s', (n) =>
    expect(validateUsername(n)).toEqual([]),
  );
  it.each(['', '-alice', '.a', 'a b', 'a/b', 'ålice', 'x'.repeat(256)])('refuses %j', (n) =>
    expect(validateUsername(n).length).toBeGreaterThan(0),
  );
});

describe('validateEmail', () => {
  it.each(['a@b.c', 'first.last+tag@example.org', 'root@localhost'])('accepts %s', (e) =>
    expect(validateEmail(e)).toEqual([]),
  );
  it.each(['', 'nope', 'a@@b', 'a b@c.d', `${'x'.repeat(250)}@b.com`])('refuses %j', (e) =>
    expect(validateEmail(e).length).toBeGreaterThan(0),
  );
});

describe('validatePassword', () => {
  it('accepts 8 and 128 characters', () => {
    expect(validatePassword('12345678')).toEqual([]);
    expect(validatePassword('x'.repeat(128))).toEqual([]);
  });
  it('refuses 7 and 129 characters', () => {
    expect(validatePassword('1234567')).toHaveLength(1);
    expect(validatePassword('x'.repeat(129))).toHaveLength(1);
  });
});

describe('makeValidNamespaceName', () => {
  const free = () => false;
  it.each([
    ['Alice', 'alice'],
    ['--Bob..', 'bob'],
    ['john.doe', 'john.doe'],
    ['a.-_b', 'a_b'],
    ['joe@example.com', 'joe_example.com'],
    ['A  B', 'a_b'],
  ])('turns %j into %j', (input, out) => expect(makeValidNamespaceName(input, free)).toBe(out));
  it('adds 0, 1, 2… on clash', () => {
    const taken = new Set(['alice', 'alice0', 'alice1']);
    expect(makeValidNamespaceName('alice', (n) => taken.has(n))).toBe('alice2');
  });
  it('keeps the result within 255 characters with a counter', () => {
    const long = 'a'.repeat(300);
    const out = makeValidNamespaceName(long, (n) => n === 'a'.repeat(255));
    expect(out).toBe(`${'a'.repeat(254)}0`);
  });
  it('refuses a name with no alphanumeric character', () => {
    expect(() => makeValidNamespaceName('..--', free)).toThrow(/namespace name/);
  });
});

describe('userCanLogin', () => {
  const at = '2024-05-01T10:00:00Z';
  const reg = {
    type: 'UserRegistered' as const,
    data: {
      id: 2,
      username: 'a',
      email: 'a@b',
      displayName: null,
      passwordHash: 'h',
      admin: false,
      bot: false,
      at,
    },
  };
  it('allows an enabled user', () => expect(userCanLogin(fold(userDecider, [reg]))).toBe(true));
  it('refuses a disabled user', () =>
    expect(userCanLogin(fold(userDecider, [reg, { type: 'UserDisabled', data: { id: 2, at } }]))).toBe(false));
  it('refuses a deleted user', () =>
    expect(userCanLogin(fold(userDecider, [reg, { type: 'UserDeleted', data: { id: 2, username: 'a', at } }]))).toBe(
      false,
    ));
  it('refuses an unknown user', () => expect(userCanLogin(userDecider.initialState())).toBe(false));
});
