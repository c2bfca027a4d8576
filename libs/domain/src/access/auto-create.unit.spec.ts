import { planAutoCreate } from './auto-create';

describe('planAutoCreate', () => {
  it.each([
    ['no team of that name: create it, the pusher owns it', null, { kind: 'create-team', team: 'acme' }],
    ['a team the pusher owns: use it', { hidden: false, actorRole: 'owner' }, { kind: 'use-team', team: 'acme' }],
    ['a team the pusher contributes to: refuse', { hidden: false, actorRole: 'contributor' }, { kind: 'refuse' }],
    ['a team the pusher only views: refuse', { hidden: false, actorRole: 'viewer' }, { kind: 'refuse' }],
    ['someone else’s team: refuse', { hidden: false, actorRole: null }, { kind: 'refuse' }],
    [
      'a hidden (personal) team, even the pusher’s own: refuse',
      { hidden: true, actorRole: 'owner' },
      { kind: 'refuse' },
    ],
  ] as const)('%s', (_, team, expected) => {
    expect(planAutoCreate('acme', team)).toMatchObject(expected);
  });
});
