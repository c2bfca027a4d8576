import { assertNever } from '../shared/message';
import type { RegistryEvent } from './registry.events';

/** RegistryState is the one registry Portus talks to. */
export interface RegistryState {
  readonly exists: boolean;
  readonly id: number;
  readonly name: string;
  readonly hostname: string;
  readonly useSsl: boolean;
  readonly externalHostname: string | null;
}

/** registryStreamId names the stream of one registry. */
export const registryStreamId = (id: number): string => `registry-${id}`;

/** initialRegistryState is the state of a stream with no events. */
export const initialRegistryState = (): RegistryState => ({
  exists: false,
  id: 0,
  name: '',
  hostname: '',
  useSsl: false,
  externalHostname: null,
});

/** evolveRegistry applies one registry event. */
export function evolveRegistry(state: RegistryState, event: RegistryEvent): RegistryState {
  switch (event.type) {
    case 'RegistryCreated': {
      const { id, name, hostname, useSsl, externalHostname } = event.data;
      return { exists: true, id, name, hostname, useSsl, externalHostname };
    }
    case 'RegistryUpdated':
      return { ...state, ...event.data.changes };
    default:
      return assertNever(event);
  }
}

/** reachableHostname is what docker clients use: external_hostname when set, else hostname (Portus). */
export const reachableHostname = (state: Pick<RegistryState, 'hostname' | 'externalHostname'>): string =>
  state.externalHostname ?? state.hostname;
