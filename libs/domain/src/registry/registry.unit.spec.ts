import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef, CommandMetadata } from '../shared/message';
import type { RegistryEvent } from './registry.events';
import type { CreateRegistry, RegistryCommand } from './registry.decide';
import { registryDecider } from './registry.decide';
import { globalNamespaceName, globalTeamName, personalNamespaceDescription, validateHostname } from './registry.rules';
import { reachableHostname } from './registry';

const spec = DeciderSpecification.for(registryDecider);
const now = '2024-05-01T10:00:00.000Z';
const admin: ActorRef = { id: 1, username: 'root', admin: true };
const alice: ActorRef = { id: 2, username: 'alice', admin: false };
const meta = (actor: ActorRef | null): CommandMetadata => ({ now, actor });
const cmd = <C extends RegistryCommand>(type: C['type'], data: C['data'], actor: ActorRef | null) =>
  ({ type, data, metadata: meta(actor) }) as C;

const createData: CreateRegistry['data'] = {
  id: 1,
  name: 'main',
  hostname: 'registry.local:5000',
  useSsl: false,
  externalHostname: null,
  existingRegistries: 0,
};
const created: RegistryEvent = {
  type: 'RegistryCreated',
  data: {
    id: 1,
    name: 'main',
    hostname: 'registry.local:5000',
    useSsl: false,
    externalHostname: null,
    at: now,
  },
};

describe('When no registry exists', () => {
  const create = (extra: Partial<CreateRegistry['data']> = {}, actor: ActorRef | null = admin) =>
    cmd('CreateRegistry', { ...createData, ...extra }, actor);
  it('lets an admin create the registry', () => {
    spec([]).when(create()).then([created]);
  });
  it('refuses a non-admin', () => {
    spec([]).when(create({}, alice)).thenThrows('REGISTRY.FORBIDDEN');
  });
  it('refuses anonymous', () => {
    spec([]).when(create({}, null)).thenThrows('REGISTRY.FORBIDDEN');
  });
  it('refuses a second registry', () => {
    spec([])
      .when(create({ existingRegistries: 1 }))
      .thenThrows('REGISTRY.ONLY_ONE');
  });
  it('refuses a blank name', () => {
    spec([])
      .when(create({ name: '  ' }))
      .thenThrows('REGISTRY.INVALID_NAME');
  });
  it('refuses a hostname with a scheme', () => {
    spec([])
      .when(create({ hostname: 'https://registry.local' }))
      .thenThrows('REGISTRY.INVALID_HOSTNAME');
  });
  it('refuses a bad external hostname', () => {
    spec([])
      .when(create({ externalHostname: 'a b' }))
      .thenThrows('REGISTRY.INVALID_EXTERNAL_HOSTNAME');
  });
  it('answers not-found to an update', () => {
    spec([])
      .when(cmd('UpdateRegistry', { name: 'x', hasRepositories: false }, admin))
      .thenThrows('REGISTRY.NOT_FOUND');
  });
});

describe('When the registry exists', () => {
  it('refuses creating it again', () => {
    spec([created])
      .when(cmd('CreateRegistry', createData, admin))
      .thenThrows('REGISTRY.EXISTS');
  });
  it('records only the changed fields with their old values', () => {
    spec([created])
      .when(
        cmd(
          'UpdateRegistry',
          {
            name: 'main',
            useSsl: true,
            externalHostname: 'docker.example.com',
            hasRepositories: true,
          },
          admin,
        ),
      )
      .then([
        {
          type: 'RegistryUpdated',
          data: {
            id: 1,
            changes: { useSsl: true, externalHostname: 'docker.example.com' },
            previous: { useSsl: false, externalHostname: null },
            at: now,
          },
        },
      ]);
  });
  it('emits nothing when nothing changes', () => {
    spec([created])
      .when(cmd('UpdateRegistry', { hostname: 'registry.local:5000', hasRepositories: true }, admin))
      .then([]);
  });
  it('lets the hostname change while there are no repositories', () => {
    spec([created])
      .when(cmd('UpdateRegistry', { hostname: 'r2:5000', hasRepositories: false }, admin))
      .then([
        {
          type: 'RegistryUpdated',
          data: {
            id: 1,
            changes: { hostname: 'r2:5000' },
            previous: { hostname: 'registry.local:5000' },
            at: now,
          },
        },
      ]);
  });
  it('refuses a hostname change once repositories exist', () => {
    spec([created])
      .when(cmd('UpdateRegistry', { hostname: 'r2:5000', hasRepositories: true }, admin))
      .thenThrows('REGISTRY.HOSTNAME_LOCKED');
  });
  it('refuses a non-admin', () => {
    spec([created])
      .when(cmd('UpdateRegistry', { name: 'x', hasRepositories: false }, alice))
      .thenThrows('REGISTRY.FORBIDDEN');
  });
  it('refuses an invalid port', () => {
    spec([created])
      .when(cmd('UpdateRegistry', { hostname: 'r2:70000', hasRepositories: false }, admin))
      .thenThrows('REGISTRY.INVALID_HOSTNAME');
  });
});

describe('validateHostname', () => {
  it.each([
    'registry',
    'registry:5000',
    'registry.example.com',
    '10.0.0.1:443',
    '[::1]:5000',
    '[2001:db8::1]',
    'my-reg.local',
  ])('accepts %s', (h) => expect(validateHostname(h)).toEqual([]));
  it.each([
    '',
    'http://registry',
    'registry/v2',
    'registry:0',
    'registry:65536',
    'registry:abc',
    'reg istry',
    '256.1.1.1',
    '-bad.example.com',
    'under_score',
    'a:1:2',
    `${'a'.repeat(64)}.com`,
  ])('refuses %j', (h) => expect(validateHostname(h).length).toBeGreaterThan(0));
});

describe('naming helpers', () => {
  it('names the global namespace and team after the registry id', () => {
    expect(globalNamespaceName(1)).toBe('portus_global_namespace_1');
    expect(globalTeamName(1)).toBe('portus_global_team_1');
  });
  it('describes a personal namespace as Portus does', () => {
    expect(personalNamespaceDescription('alice')).toBe('This personal namespace belongs to alice.');
  });
  it('prefers the external hostname for clients', () => {
    expect(
      reachableHostname({
        hostname: 'r:5000',
        externalHostname: 'docker.example.com',
      }),
    ).toBe('docker.example.com');
    expect(reachableHostname({ hostname: 'r:5000', externalHostname: null })).toBe('r:5000');
  });
});
