import type { TokenResult } from '../observability/metrics';
import { requestedScopes, type GrantedToken } from './registry-tokens';
import type { RegistryAccess } from './token-issuer.port';
import { tokenResult } from './token-metrics';

/** jwt builds an unsigned token whose payload carries `access`: what a token text claiming it would look like. */
const jwt = (access: unknown) =>
  `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'u', access })).toString('base64url')}.c2ln`;
const repo = (name: string, actions: string[]) => ({ type: 'repository', name, actions });
const user = { username: 'cora', secret: 's' };

/**
 * Each row: the request's credentials and `scope` values, the `access` the issuer says it signed, and the token
 * text it answered with (which tokenResult must never read: the hostile rows make it disagree with `access`).
 */
type Row = [string, typeof user | null, string[], RegistryAccess[] | null, string | undefined, TokenResult];

describe('tokenResult', () => {
  it.each<Row>([
    ['anonymous, whatever it got', null, ['repository:pub/x:pull'], [repo('pub/x', ['pull'])], undefined, 'anonymous'],
    ['a login without scopes', user, [], null, undefined, 'granted'],
    [
      'every requested action',
      user,
      ['repository:a/b:pull,push'],
      [repo('a/b', ['pull', 'push'])],
      undefined,
      'granted',
    ],
    [
      'repeated scopes merge',
      user,
      ['repository:a/b:pull', 'repository:a/b:pull'],
      [repo('a/b', ['pull'])],
      undefined,
      'granted',
    ],
    ['a repeated action merges', user, ['repository:a/b:pull,pull,'], [repo('a/b', ['pull'])], undefined, 'granted'],
    [
      'one value with two scopes',
      user,
      ['repository:a/b:pull repository:c/d:pull'],
      [repo('a/b', ['pull'])],
      undefined,
      'partial',
    ],
    [
      'the same repository in two values',
      user,
      ['repository:a/b:pull', 'repository:a/b:push'],
      [repo('a/b', ['pull', 'push'])],
      undefined,
      'granted',
    ],
    [
      'a scope without actions',
      user,
      ['repository:a/b:', 'repository:c/d:pull'],
      [repo('c/d', ['pull'])],
      undefined,
      'granted',
    ],
    [
      'a resource class merges with the plain type (as the decision merges it)',
      user,
      ['repository(plugin):a/b:pull', 'repository:a/b:pull'],
      [repo('a/b', ['pull'])],
      undefined,
      'granted',
    ],
    ['some of them', user, ['repository:a/b:pull,push'], [repo('a/b', ['pull'])], undefined, 'partial'],
    [
      'one scope of two',
      user,
      ['repository:a/b:pull', 'repository:c/d:pull'],
      [repo('a/b', ['pull'])],
      undefined,
      'partial',
    ],
    ['none of them', user, ['repository:a/b:pull,push'], [], undefined, 'denied'],
    ['no access claim', user, ['repository:a/b:pull'], null, undefined, 'denied'],
    [
      'a host:port name',
      user,
      ['repository:localhost:5000/a:pull'],
      [repo('localhost:5000/a', ['pull'])],
      undefined,
      'granted',
    ],
    ['hostile: not a JWT, nothing granted', user, ['repository:a/b:pull'], [], 'garbage', 'denied'],
    ['hostile: payload not JSON, nothing granted', user, ['repository:a/b:pull'], [], 'a.!!!.c', 'denied'],
    [
      'hostile: an entry without actions',
      user,
      ['repository:a/b:pull'],
      [repo('a/b', [])],
      jwt([{ type: 'repository', actions: 'pull' }]),
      'denied',
    ],
    [
      'hostile: the token text claims more than was granted',
      user,
      ['repository:a/b:pull,push'],
      [repo('a/b', ['pull'])],
      jwt([repo('a/b', ['pull', 'push'])]),
      'partial',
    ],
    [
      'hostile: the token text is garbage, the grant is whole',
      user,
      ['repository:a/b:pull'],
      [repo('a/b', ['pull'])],
      'garbage',
      'granted',
    ],
  ])('%s', (_name, credentials, scopes, access, token, expected) => {
    const granted: GrantedToken = {
      token: token ?? jwt(access ?? undefined),
      expiresIn: 300,
      issuedAt: '2026-11-28T00:00:00.000Z',
      access,
      requested: requestedScopes(scopes).requested,
    };
    expect(tokenResult({ credentials }, granted)).toBe(expected);
  });
});
