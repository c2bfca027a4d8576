import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import { registriesProjection } from './registries.projection';

const given = projectionSpecification(registriesProjection);
const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;

describe('registries projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const created = () =>
    log.record('RegistryCreated', {
      id: 1,
      name: 'main',
      hostname: 'registry:5000',
      useSsl: false,
      externalHostname: null,
      at: at(1),
    });

  describe('When the registry is created', () => {
    it('creates it', () =>
      given()
        .when(created())
        .then({
          registries: [
            {
              _id: '1',
              id: 1,
              name: 'main',
              hostname: 'registry:5000',
              external_hostname: null,
              use_ssl: false,
              created_at: at(1),
              updated_at: at(1),
            },
          ],
        }));
  });

  describe('When it is updated', () => {
    it('applies only the changed fields', () =>
      given(created())
        .when(
          log.record('RegistryUpdated', {
            id: 1,
            changes: { useSsl: true, externalHostname: 'registry.example.com' },
            previous: { useSsl: false, externalHostname: null },
            at: at(2),
          }),
        )
        .then({
          registries: [
            {
              _id: '1',
              id: 1,
              name: 'main',
              hostname: 'registry:5000',
              external_hostname: 'registry.example.com',
              use_ssl: true,
              created_at: at(1),
              updated_at: at(2),
            },
          ],
        }));
  });
});
