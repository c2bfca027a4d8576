import { assertNever } from '../shared/message';
import type { NamespaceEvent, NamespaceKind, Visibility } from './namespace.events';

/** NamespaceState is one namespace; its team's members live in the team stream and arrive as `actorRole`. */
export interface NamespaceState {
  readonly exists: boolean;
  readonly id: number;
  readonly name: string;
  readonly kind: NamespaceKind;
  readonly registryId: number;
  readonly teamId: number;
  readonly ownerUserId: number | null;
  readonly description: string;
  readonly visibility: Visibility;
  readonly deleted: boolean;
}

/** namespaceStreamId names the stream of one namespace. */
export const namespaceStreamId = (id: number): string => `namespace-${id}`;

/** initialNamespaceState is the state of a stream with no events. */
export const initialNamespaceState = (): NamespaceState => ({
  exists: false,
  id: 0,
  name: '',
  kind: 'team',
  registryId: 0,
  teamId: 0,
  ownerUserId: null,
  description: '',
  visibility: 'private',
  deleted: false,
});

/** evolveNamespace applies one namespace event. */
export function evolveNamespace(state: NamespaceState, event: NamespaceEvent): NamespaceState {
  switch (event.type) {
    case 'NamespaceCreated': {
      const { at: _at, ...d } = event.data;
      return { ...d, exists: true, deleted: false };
    }
    case 'NamespaceVisibilityChanged':
      return { ...state, visibility: event.data.new };
    case 'NamespaceTeamChanged':
      return { ...state, teamId: event.data.new };
    case 'NamespaceDescriptionChanged':
      return { ...state, description: event.data.new };
    case 'NamespaceRenamed':
      return { ...state, name: event.data.new };
    case 'NamespaceDeleted':
      return { ...state, deleted: true };
    default:
      return assertNever(event);
  }
}
