import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import { teamMembersProjection } from './team-members.projection';

const given = projectionSpecification(teamMembersProjection);
const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;

describe('team members projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const added = (userId: number, role: 'viewer' | 'contributor' | 'owner', n = 1) =>
    log.record('TeamMemberAdded', { teamId: 5, userId, role, at: at(n) });

  describe('When members are added', () => {
    it('keeps one document per (team, user)', () =>
      given()
        .when(added(7, 'owner'), added(8, 'viewer', 2))
        .then({
          team_members: [
            {
              _id: '5:7',
              team_id: 5,
              user_id: 7,
              role: 'owner',
              created_at: at(1),
            },
            {
              _id: '5:8',
              team_id: 5,
              user_id: 8,
              role: 'viewer',
              created_at: at(2),
            },
          ],
        }));
  });

  describe('When a role changes', () => {
    it('sets the new role and keeps the join date', () =>
      given(added(7, 'owner'), added(8, 'viewer', 2))
        .when(
          log.record('TeamMemberRoleChanged', {
            teamId: 5,
            userId: 8,
            oldRole: 'viewer',
            newRole: 'contributor',
            at: at(3),
          }),
        )
        .then({
          team_members: [
            {
              _id: '5:7',
              team_id: 5,
              user_id: 7,
              role: 'owner',
              created_at: at(1),
            },
            {
              _id: '5:8',
              team_id: 5,
              user_id: 8,
              role: 'contributor',
              created_at: at(2),
            },
          ],
        }));
  });

  describe('When a member is removed and re-added', () => {
    it('shows the new membership only', () =>
      given(added(7, 'owner'), added(8, 'viewer', 2))
        .when(
          log.record('TeamMemberRemoved', {
            teamId: 5,
            userId: 8,
            role: 'viewer',
            at: at(3),
          }),
          added(8, 'contributor', 4),
        )
        .then({
          team_members: [
            {
              _id: '5:7',
              team_id: 5,
              user_id: 7,
              role: 'owner',
              created_at: at(1),
            },
            {
              _id: '5:8',
              team_id: 5,
              user_id: 8,
              role: 'contributor',
              created_at: at(4),
            },
          ],
        }));
  });

  describe('When a user is deleted', () => {
    it('drops their memberships in every team', () =>
      given(
        added(7, 'owner'),
        added(8, 'viewer'),
        log.record('TeamMemberAdded', {
          teamId: 6,
          userId: 8,
          role: 'owner',
          at: at(1),
        }),
      )
        .when(log.record('UserDeleted', { id: 8, username: 'bob', at: at(2) }))
        .then({
          team_members: [
            {
              _id: '5:7',
              team_id: 5,
              user_id: 7,
              role: 'owner',
              created_at: at(1),
            },
          ],
        }));
  });
});
