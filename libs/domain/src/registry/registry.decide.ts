import type { ActorRef, Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import {
  conflict,
  forbidden,
  illegalState,
  notFound,
  validation,
} from '../shared/domain-error';
import type { RegistryEvent, RegistryUpdated } from './registry.events';
import type { RegistryState } from './registry';
import { evolveRegistry, initialRegistryState } from './registry';
import type { RegistryFieldError } from './registry.rules';
import { validateRegistry } from './registry.rules';

/** CreateRegistry registers the registry; existingRegistries comes from the read model (Portus allows one). */
export type CreateRegistry = Command<
  'CreateRegistry',
  {
    id: number;
    name: string;
    hostname: string;
    useSsl: boolean;
    externalHostname: string | null;
    existingRegistries: number;
  }
>;
/** UpdateRegistry changes the present fields; hasRepositories locks the hostname. */
export type UpdateRegistry = Command<
  'UpdateRegistry',
  {
    name?: string;
    hostname?: string;
    useSsl?: boolean;
    externalHostname?: string | null;
    hasRepositories: boolean;
  }
>;

/** RegistryCommand is every command the registry decider accepts. */
export type RegistryCommand = CreateRegistry | UpdateRegistry;

const FIELD_CODES: Record<RegistryFieldError['field'], string> = {
  name: 'REGISTRY.INVALID_NAME',
  hostname: 'REGISTRY.INVALID_HOSTNAME',
  externalHostname: 'REGISTRY.INVALID_EXTERNAL_HOSTNAME',
};

function check(errors: RegistryFieldError[]): void {
  const [first] = errors;
  if (first !== undefined)
    throw validation(FIELD_CODES[first.field], first.message, first.field);
}

function requireAdmin(actor: ActorRef | null): void {
  if (actor === null || !actor.admin)
    throw forbidden(
      'REGISTRY.FORBIDDEN',
      'Only admins can manage the registry',
    );
}

function createRegistry(
  { data, metadata }: CreateRegistry,
  state: RegistryState,
): RegistryEvent[] {
  if (state.exists)
    throw conflict('REGISTRY.EXISTS', `Registry ${data.id} already exists`);
  requireAdmin(metadata.actor);
  if (data.existingRegistries > 0)
    throw illegalState('REGISTRY.ONLY_ONE', 'You can only create one registry');
  check(validateRegistry(data));
  const { id, name, hostname, useSsl, externalHostname } = data;
  return [
    {
      type: 'RegistryCreated',
      data: { id, name, hostname, useSsl, externalHostname, at: metadata.now },
    },
  ];
}

type Fields = RegistryUpdated['data']['changes'];

function changedFields(
  data: UpdateRegistry['data'],
  state: RegistryState,
): [Fields, Fields] {
  const changes: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};
  for (const key of [
    'name',
    'hostname',
    'useSsl',
    'externalHostname',
  ] as const) {
    if (data[key] !== undefined && data[key] !== state[key]) {
      changes[key] = data[key];
      previous[key] = state[key];
    }
  }
  return [changes as Fields, previous as Fields];
}

function updateRegistry(
  { data, metadata }: UpdateRegistry,
  state: RegistryState,
): RegistryEvent[] {
  if (!state.exists) throw notFound('REGISTRY.NOT_FOUND', 'Registry not found');
  requireAdmin(metadata.actor);
  check(validateRegistry(data));
  const [changes, previous] = changedFields(data, state);
  if (Object.keys(changes).length === 0) return [];
  if (changes.hostname !== undefined && data.hasRepositories) {
    throw illegalState(
      'REGISTRY.HOSTNAME_LOCKED',
      'The hostname cannot change once repositories exist',
    );
  }
  return [
    {
      type: 'RegistryUpdated',
      data: { id: state.id, changes, previous, at: metadata.now },
    },
  ];
}

/** decideRegistry routes a registry command to its rule function. */
export function decideRegistry(
  command: RegistryCommand,
  state: RegistryState,
): RegistryEvent[] {
  switch (command.type) {
    case 'CreateRegistry':
      return createRegistry(command, state);
    case 'UpdateRegistry':
      return updateRegistry(command, state);
    default:
      return assertNever(command);
  }
}

/** registryDecider is the registry aggregate as one emmett-shaped object. */
export const registryDecider: Decider<
  RegistryState,
  RegistryCommand,
  RegistryEvent
> = {
  decide: decideRegistry,
  evolve: evolveRegistry,
  initialState: initialRegistryState,
};
