import type { Settings } from '../settings/settings';
import { defaultSettings } from '../settings/settings';
import type { TeamRole } from './team.events';
import type { TeamAction } from './team.rules';
import { teamRoleCan } from './team.rules';

const withDelete = (contributors: boolean, enabled = true): Settings => ({
  ...defaultSettings,
  delete: { enabled, contributors },
});
const adminOnly: Settings = {
  ...defaultSettings,
  userPermission: {
    ...defaultSettings.userPermission,
    pushImages: 'admin-only',
  },
};

describe('teamRoleCan', () => {
  it.each<[string, TeamRole | null, TeamAction, Settings, boolean]>([
    ['non-member cannot pull', null, 'pull', defaultSettings, false],
    ['viewer pulls', 'viewer', 'pull', defaultSettings, true],
    ['viewer cannot push', 'viewer', 'push', defaultSettings, false],
    ['contributor pushes', 'contributor', 'push', defaultSettings, true],
    ['owner cannot push under admin-only', 'owner', 'push', adminOnly, false],
    ['owner deletes', 'owner', 'delete', defaultSettings, true],
    ['contributor cannot delete by default', 'contributor', 'delete', defaultSettings, false],
    ['contributor deletes with delete.contributors', 'contributor', 'delete', withDelete(true), true],
    ['owner cannot delete when delete is off', 'owner', 'delete', withDelete(true, false), false],
    ['owner manages', 'owner', 'manage', defaultSettings, true],
    ['contributor cannot manage', 'contributor', 'manage', defaultSettings, false],
  ])('%s', (_name, role, what, settings, expected) => {
    expect(teamRoleCan(role, what, settings)).toBe(expected);
  });
});
