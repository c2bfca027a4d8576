import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import type { NamespaceDoc } from './namespaces.projection';
import { namespacesProjection } from './namespaces.projection';

const given = projectionSpecification(namespacesProjection);
const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;

describe('namespaces projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const created = (kind: 'team' | 'global' = 'team') =>
    log.record('NamespaceCreated', {
      id: 3,
      name: 'devs',
      kind,
      registryId: 1,
      teamId: 5,
      ownerUserId: null,
      description: 'images',
      visibility: 'private',
      at: at(1),
    });
  const devs = (over: Partial<NamespaceDoc> = {}): NamespaceDoc => ({
    _id: '3',
    id: 3,
    name: 'devs',
    kind: 'team',
    global: false,
    registry_id: 1,
    team_id: 5,
    owner_user_id: null,
    description: 'images',
    visibility: 'private',
    created_at: at(1),
    updated_at: at(1),
    ...over,
  });

  describe('When a namespace is created', () => {
    it('creates it', () =>
      given()
        .when(created())
        .then({ namespaces: [devs()] }));
    it('flags the global one', () =>
      given()
        .when(created('global'))
        .then({ namespaces: [devs({ kind: 'global', global: true })] }));
  });

  describe('When it changes', () => {
    it('follows visibility, team, description and name', () =>
      given(created())
        .when(
          log.record('NamespaceVisibilityChanged', {
            id: 3,
            old: 'private',
            new: 'public',
            at: at(2),
          }),
          log.record('NamespaceTeamChanged', {
            id: 3,
            old: 5,
            new: 6,
            at: at(3),
          }),
          log.record('NamespaceDescriptionChanged', {
            id: 3,
            old: 'images',
            new: 'more',
            at: at(4),
          }),
          log.record('NamespaceRenamed', {
            id: 3,
            old: 'devs',
            new: 'ops',
            at: at(5),
          }),
        )
        .then({
          namespaces: [
            devs({
              visibility: 'public',
              team_id: 6,
              description: 'more',
              name: 'ops',
              updated_at: at(5),
            }),
          ],
        }));
  });

  describe('When it is deleted', () => {
    it('removes it', () =>
      given(created())
        .when(
          log.record('NamespaceDeleted', {
            id: 3,
            name: 'devs',
            teamId: 5,
            registryId: 1,
            at: at(2),
          }),
        )
        .then({ namespaces: [] }));
  });
});
