import type { TokenResult } from '../observability/metrics';
import { tokenResult } from './token-metrics';

/** jwt builds an unsigned token whose payload carries `access` (tokenResult only reads the claim back). */
const jwt = (access: unknown) =>
  `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'u', access })).toString('base64url')}.c2ln`;
const repo = (name: string, actions: string[]) => ({ type: 'repository', name, actions });
const user = { username: 'cora', secret: 's' };

describe('tokenResult', () => {
  it.each<[string, typeof user | null, string[], string, TokenResult]>([
    ['anonymous, whatever it got', null, ['repository:pub/x:pull'], jwt([repo('pub/x', ['pull'])]), 'anonymous'],
    ['a login without scopes', user, [], jwt(undefined), 'granted'],
    ['every requested action', user, ['repository:a/b:pull,push'], jwt([repo('a/b', ['pull', 'push'])]), 'granted'],
    [
      'repeated scopes merge',
      user,
      ['repository:a/b:pull', 'repository:a/b:pull'],
      jwt([repo('a/b', ['pull'])]),
      'granted',
    ],
    ['a repeated action merges', user, ['repository:a/b:pull,pull,'], jwt([repo('a/b', ['pull'])]), 'granted'],
    [
      'one value with two scopes',
      user,
      ['repository:a/b:pull repository:c/d:pull'],
      jwt([repo('a/b', ['pull'])]),
      'partial',
    ],
    [
      'the same repository in two values',
      user,
      ['repository:a/b:pull', 'repository:a/b:push'],
      jwt([repo('a/b', ['pull', 'push'])]),
      'granted',
    ],
    [
      'a scope without actions',
      user,
      ['repository:a/b:', 'repository:c/d:pull'],
      jwt([repo('c/d', ['pull'])]),
      'granted',
    ],
    ['some of them', user, ['repository:a/b:pull,push'], jwt([repo('a/b', ['pull'])]), 'partial'],
    ['one scope of two', user, ['repository:a/b:pull', 'repository:c/d:pull'], jwt([repo('a/b', ['pull'])]), 'partial'],
    ['none of them', user, ['repository:a/b:pull,push'], jwt([]), 'denied'],
    ['no access claim', user, ['repository:a/b:pull'], jwt(undefined), 'denied'],
    [
      'a host:port name',
      user,
      ['repository:localhost:5000/a:pull'],
      jwt([repo('localhost:5000/a', ['pull'])]),
      'granted',
    ],
    ['hostile: not a JWT', user, ['repository:a/b:pull'], 'garbage', 'denied'],
    ['hostile: payload not JSON', user, ['repository:a/b:pull'], 'a.!!!.c', 'denied'],
    [
      'hostile: actions not a list',
      user,
      ['repository:a/b:pull'],
      jwt([{ type: 'repository', actions: 'pull' }]),
      'denied',
    ],
  ])('%s', (_name, credentials, scopes, token, expected) => {
    expect(tokenResult({ credentials, scopes }, token)).toBe(expected);
  });
});
