import { formatScope, mergeScopes, parseScope, parseScopes, ScopeError, type ResourceScope } from './scope';

describe('parseScope', () => {
  // [input, expected] — one row per case; a failing row is printed in the test name.
  const valid: Array<[string, ResourceScope]> = [
    ['repository:ns/repo:pull', { type: 'repository', name: 'ns/repo', actions: ['pull'] }], // the common case
    ['repository:ns/repo:pull,push', { type: 'repository', name: 'ns/repo', actions: ['pull', 'push'] }], // push
    ['repository:ns/repo:*', { type: 'repository', name: 'ns/repo', actions: ['*'] }], // skopeo delete asks `*`
    ['repository:busybox:pull', { type: 'repository', name: 'busybox', actions: ['pull'] }], // global namespace
    ['repository:a/b/c:pull', { type: 'repository', name: 'a/b/c', actions: ['pull'] }], // nested path
    ['repository:a.b-c__d/e_f:pull', { type: 'repository', name: 'a.b-c__d/e_f', actions: ['pull'] }], // separators
    ['repository(plugin):ns/p:pull', { type: 'repository', class: 'plugin', name: 'ns/p', actions: ['pull'] }], // class
    ['registry:catalog:*', { type: 'registry', name: 'catalog', actions: ['*'] }], // catalog
    ['repository:localhost:5000/ns/r:pull', { type: 'repository', name: 'localhost:5000/ns/r', actions: ['pull'] }], // host:port keeps its ':'
    ['repository:ns/repo:', { type: 'repository', name: 'ns/repo', actions: [] }], // empty action list is grammatical
    ['repository:ns/repo:pull,,push', { type: 'repository', name: 'ns/repo', actions: ['pull', 'push'] }], // empty actions skipped
    ['repository:ns/repo:fork', { type: 'repository', name: 'ns/repo', actions: ['fork'] }], // unknown action: dropped later, not here
    ['lala:x:y', { type: 'lala', name: 'x', actions: ['y'] }], // unknown type: grammatical, dropped by evaluateAccess
    ['repository:Host.Example/ns:pull', { type: 'repository', name: 'Host.Example/ns', actions: ['pull'] }], // hostnames may be uppercase
  ];
  it.each(valid)('parses %j', (input, expected) => expect(parseScope(input)).toEqual(expected));

  const malformed: string[] = [
    'whale:foo', // two parts (Portus scenario 12)
    'repository', // one part
    '', // empty
    'repository::pull', // empty name
    'repository:*:pull', // `*` as a name
    'repository:ns/../etc:pull', // `..` component
    'repository:ns//repo:pull', // empty component
    'repository:ns/repo/:pull', // trailing slash
    'repository:/ns/repo:pull', // leading slash
    'repository:ns%2Frepo:pull', // still-encoded slash (double encoding)
    'repository:ns/NS/repo:pull', // uppercase past the first component (only a hostname may have it)
    'repository:ns/Repo:pull', // uppercase component
    'repository:ns/repo:PULL', // uppercase action
    'repository:ns/repo:pull;push', // bad action separator
    'Repository:ns/repo:pull', // uppercase type
    'repository(:ns/repo:pull', // broken class
    'repository:ns/re po:pull', // space inside a name (parseScope sees one piece)
    'repository:ns/repo\u0000:pull', // NUL
    `repository:${'a'.repeat(256)}:pull`, // name over 255 characters
    'repository:ns:x/repo:pull', // ':' that is not a host port
  ];
  it.each(malformed)('refuses %j with a message naming it', (input) => {
    expect(() => parseScope(input)).toThrow(ScopeError);
    expect(() => parseScope(input)).toThrow(/malformed scope/);
  });
});

describe('parseScopes', () => {
  it('reads repeated parameters and space-separated scopes inside one value', () =>
    expect(parseScopes(['repository:a/b:pull repository:c/d:push', 'registry:catalog:*']).map(formatScope)).toEqual([
      'repository:a/b:pull',
      'repository:c/d:push',
      'registry:catalog:*',
    ]));
  it('skips doubled spaces', () => expect(parseScopes([' repository:a/b:pull  '])).toHaveLength(1));
  it('fails the whole request on one malformed scope', () =>
    expect(() => parseScopes(['repository:a/b:pull', 'whale:foo'])).toThrow(/"whale:foo"/));
});

describe('formatScope', () => {
  it.each([
    'repository:ns/repo:pull,push',
    'repository(plugin):ns/p:pull',
    'registry:catalog:*',
    'repository:localhost:5000/ns/r:*',
    'repository:a/b/c:delete',
  ])('round-trips %j', (text) => {
    expect(formatScope(parseScope(text))).toBe(text);
    expect(parseScope(formatScope(parseScope(text)))).toEqual(parseScope(text));
  });
});

describe('mergeScopes', () => {
  it('merges duplicates into one entry with the union of actions (Portus scenario 13)', () =>
    expect(mergeScopes(parseScopes(['repository:busybox:push', 'repository:busybox:pull']))).toEqual([
      { type: 'repository', name: 'busybox', actions: ['push', 'pull'] },
    ]));
  it('merges what skopeo sends on delete (registry-interop §4)', () =>
    expect(mergeScopes(parseScopes(['repository:ns/repo:*', 'repository:ns/repo:delete']))).toEqual([
      { type: 'repository', name: 'ns/repo', actions: ['*', 'delete'] },
    ]));
  it('ignores the class, as the registry does', () =>
    expect(mergeScopes(parseScopes(['repository(plugin):a/b:pull', 'repository:a/b:pull,pull']))).toEqual([
      { type: 'repository', name: 'a/b', actions: ['pull'] },
    ]));
  it('keeps different resources apart and names case-sensitive', () =>
    expect(mergeScopes(parseScopes(['repository:a/b:pull', 'registry:a/b:pull']))).toHaveLength(2));
});
