import type { ActorRef, Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import { diffFields, pick } from '../shared/fields';
import type { RegistryEvent } from './registry.events';
import { RegistryErrors } from './registry.errors';
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

const CREATED = ['id', 'name', 'hostname', 'useSsl', 'externalHostname'] as const;
const EDITABLE = ['name', 'hostname', 'useSsl', 'externalHostname'] as const;

function check(errors: RegistryFieldError[]): void {
  const [first] = errors;
  if (first !== undefined) throw RegistryErrors.invalidField(first);
}

function requireAdmin(actor: ActorRef | null): void {
  if (actor === null || !actor.admin) throw RegistryErrors.forbidden();
}

function createRegistry(cmd: CreateRegistry, state: RegistryState): RegistryEvent[] {
  const { data, metadata } = cmd;
  if (state.exists) throw RegistryErrors.exists(data.id);
  requireAdmin(metadata.actor);
  if (data.existingRegistries > 0) throw RegistryErrors.onlyOne();
  check(validateRegistry(data));
  const event = { ...pick(data, CREATED), at: metadata.now };
  return [{ type: 'RegistryCreated', data: event }];
}

function updateRegistry(cmd: UpdateRegistry, state: RegistryState): RegistryEvent[] {
  const { data, metadata } = cmd;
  if (!state.exists) throw RegistryErrors.notFound();
  requireAdmin(metadata.actor);
  check(validateRegistry(data));
  const { changes, previous, changed } = diffFields(EDITABLE, data, state);
  if (!changed) return [];
  if (changes.hostname !== undefined && data.hasRepositories) {
    throw RegistryErrors.hostnameLocked();
  }
  const event = { id: state.id, changes, previous, at: metadata.now };
  return [{ type: 'RegistryUpdated', data: event }];
}

/** decideRegistry routes a registry command to its rule function. */
export function decideRegistry(command: RegistryCommand, state: RegistryState): RegistryEvent[] {
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
export const registryDecider: Decider<RegistryState, RegistryCommand, RegistryEvent> = {
  decide: decideRegistry,
  evolve: evolveRegistry,
  initialState: initialRegistryState,
};
