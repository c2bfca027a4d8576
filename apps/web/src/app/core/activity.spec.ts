import type { Activity } from './activity';
import { activityAction, activitySubject } from './activity';

const base: Activity = {
  id: 1,
  key: 'repository.push',
  owner: { id: 1, username: 'ada' },
  trackable_type: 'Repository',
  trackable_id: 7,
  recipient_type: null,
  recipient_id: null,
  namespace: { id: 3, name: 'webapps' },
  team_id: 2,
  parameters: {},
  created_at: '2026-11-28T08:00:00Z',
};

describe('activitySubject', () => {
  it.each<[string, Partial<Activity>, string]>([
    [
      'a push names repository and tag',
      { parameters: { repository_name: 'webapps/app', tag_name: '1.0' } },
      'webapps/app:1.0',
    ],
    [
      'a namespace created for a team names the namespace, not the team',
      { key: 'namespace.create', trackable_type: 'Namespace', parameters: { team: 'platform' } },
      'webapps',
    ],
    [
      'a member added names who and where, with the role',
      {
        key: 'team.add_member',
        trackable_type: 'Team',
        parameters: { team: 'platform', team_user: 'dora', role: 'contributor' },
      },
      'dora in platform (contributor)',
    ],
    [
      'a role change shows the new role',
      {
        key: 'team.change_member_role',
        trackable_type: 'Team',
        parameters: { team: 'platform', team_user: 'dora', old_role: 'viewer', new_role: 'owner' },
      },
      'dora in platform (owner)',
    ],
    [
      'a team rename keeps the team name',
      { key: 'team.change_team_name', trackable_type: 'Team', parameters: { team: 'core' } },
      'core',
    ],
    ['no parameters and no namespace fall back to the trackable', { namespace: null, parameters: {} }, 'Repository #7'],
  ])('%s', (_name, change, expected) => {
    expect(activitySubject({ ...base, ...change })).toBe(expected);
  });

  it('reads a key as words', () => {
    expect(activityAction({ ...base, key: 'team.add_member' })).toBe('team add member');
  });
});
