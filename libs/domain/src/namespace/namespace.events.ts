import type { DomainEvent } from '../shared/message';

// Stream: namespace-<id>.

/** Visibility is Portus's namespace visibility. */
export type Visibility = 'private' | 'protected' | 'public';

/** NamespaceKind: one global per registry, one personal per (non-bot) user, any number of team ones. */
export type NamespaceKind = 'global' | 'personal' | 'team';

export type NamespaceCreated = DomainEvent<
  'NamespaceCreated',
  {
    id: number;
    name: string;
    kind: NamespaceKind;
    registryId: number;
    teamId: number;
    /** ownerUserId: the user of a personal namespace, else null. */
    ownerUserId: number | null;
    description: string;
    visibility: Visibility;
    at: string;
  }
>;
export type NamespaceVisibilityChanged = DomainEvent<
  'NamespaceVisibilityChanged',
  { id: number; old: Visibility; new: Visibility; at: string }
>;
export type NamespaceTeamChanged = DomainEvent<
  'NamespaceTeamChanged',
  { id: number; old: number; new: number; at: string }
>;
export type NamespaceDescriptionChanged = DomainEvent<
  'NamespaceDescriptionChanged',
  { id: number; old: string; new: string; at: string }
>;
export type NamespaceRenamed = DomainEvent<'NamespaceRenamed', { id: number; old: string; new: string; at: string }>;
export type NamespaceDeleted = DomainEvent<
  'NamespaceDeleted',
  { id: number; name: string; teamId: number; registryId: number; at: string }
>;

export type NamespaceEvent =
  | NamespaceCreated
  | NamespaceVisibilityChanged
  | NamespaceTeamChanged
  | NamespaceDescriptionChanged
  | NamespaceRenamed
  | NamespaceDeleted;
