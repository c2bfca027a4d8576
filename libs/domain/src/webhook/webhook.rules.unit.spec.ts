import { backoffDelayMs, globToRegExp, webhookMatches, type WebhookMatchView } from './webhook.rules';

describe('globToRegExp', () => {
  it.each([
    ['ns/*', 'ns/app', true],
    ['ns/*', 'ns/a/b', false], // * stays within one component
    ['ns/**', 'ns/a/b', true],
    ['*/app', 'team/app', true],
    ['ns/app?', 'ns/app1', true],
    ['ns/a.b', 'ns/aXb', false], // dots are literal
    ['ns/app', 'ns/app', true],
  ])('%s vs %s → %s', (glob, name, expected) => {
    expect(globToRegExp(glob).test(name)).toBe(expected);
  });
});

describe('webhookMatches', () => {
  const hook: WebhookMatchView = { enabled: true, namespaceId: 3, events: ['push', 'delete'], repositories: [] };
  const push = { kind: 'push' as const, namespaceId: 3, repository: 'ns/app' };
  it.each([
    ['an enabled hook of the namespace', hook, push, true],
    ['a disabled hook', { ...hook, enabled: false }, push, false],
    ['another namespace', hook, { ...push, namespaceId: 4 }, false],
    ['a system-wide hook, any namespace', { ...hook, namespaceId: null }, { ...push, namespaceId: 4 }, true],
    ['a pull by default', hook, { ...push, kind: 'pull' as const }, false],
    ['a pull when asked for', { ...hook, events: ['pull' as const] }, { ...push, kind: 'pull' as const }, true],
    ['a non-matching glob', { ...hook, repositories: ['ns/other*'] }, push, false],
    ['a matching glob', { ...hook, repositories: ['ns/other*', 'ns/a*'] }, push, true],
  ])('%s', (_what, h, subject, expected) => {
    expect(webhookMatches(h, subject)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 10, maxAgeMs: 1e9, baseDelayMs: 1000, maxDelayMs: 8000 };
  it('doubles per attempt, capped, with half the delay jittered', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, 0))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect(backoffDelayMs(3, policy, 0.999999)).toBe(4000);
  });
});
