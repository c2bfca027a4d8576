import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import type { TeamDoc } from './teams.projection';
import { teamsProjection } from './teams.projection';

const given = projectionSpecification(teamsProjection);
const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;

describe('teams projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const created = () =>
    log.record('TeamCreated', {
      id: 5,
      name: 'devs',
      description: 'the devs',
      kind: 'team',
      hidden: false,
      ownerId: 7,
      at: at(1),
    });
  const devs = (over: Partial<TeamDoc> = {}): TeamDoc => ({
    _id: '5',
    id: 5,
    name: 'devs',
    description: 'the devs',
    kind: 'team',
    hidden: false,
    created_at: at(1),
    updated_at: at(1),
    ...over,
  });

  describe('When a team is created', () => {
    it('creates it', () =>
      given()
        .when(created())
        .then({ teams: [devs()] }));

    it('keeps a personal team hidden', () =>
      given()
        .when(
          log.record('TeamCreated', {
            id: 6,
            name: 'alice',
            description: '',
            kind: 'personal',
            hidden: true,
            ownerId: 7,
            at: at(1),
          }),
        )
        .then({
          teams: [
            {
              _id: '6',
              id: 6,
              name: 'alice',
              description: '',
              kind: 'personal',
              hidden: true,
              created_at: at(1),
              updated_at: at(1),
            },
          ],
        }));
  });

  describe('When it is renamed and described', () => {
    it('keeps the latest name and description', () =>
      given(created())
        .when(
          log.record('TeamRenamed', {
            id: 5,
            old: 'devs',
            new: 'ops',
            at: at(2),
          }),
          log.record('TeamDescriptionChanged', {
            id: 5,
            old: 'the devs',
            new: 'the ops',
            at: at(3),
          }),
          log.record('TeamRenamed', {
            id: 5,
            old: 'ops',
            new: 'sre',
            at: at(4),
          }),
        )
        .then({
          teams: [devs({ name: 'sre', description: 'the ops', updated_at: at(4) })],
        }));
  });
});
