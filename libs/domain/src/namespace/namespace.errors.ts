import { conflict, forbidden, illegalState, notFound, validation } from '../shared/domain-error';

/** NamespaceErrors lists every error the namespace rules throw, one stable code each. */
export const NamespaceErrors = {
  exists: (id: number) => conflict('NAMESPACE.EXISTS', `Namespace ${id} already exists`),
  notFound: () => notFound('NAMESPACE.NOT_FOUND', 'Namespace not found'),
  teamNotFound: () => notFound('NAMESPACE.TEAM_NOT_FOUND', 'Team not found'),
  forbidden: (message: string) => forbidden('NAMESPACE.FORBIDDEN', message),
  createForbidden: () =>
    forbidden('NAMESPACE.CREATE_FORBIDDEN', 'You are not allowed to create a namespace in this team'),
  newTeamForbidden: () =>
    forbidden('NAMESPACE.NEW_TEAM_FORBIDDEN', 'You can only move a namespace into a team you contribute to'),
  deleteDisabled: () => forbidden('NAMESPACE.DELETE_DISABLED', 'Deleting namespaces is disabled'),
  globalNotDeletable: () => forbidden('NAMESPACE.GLOBAL_NOT_DELETABLE', 'The global namespace cannot be deleted'),
  personalNotDeletable: () => illegalState('NAMESPACE.PERSONAL_NOT_DELETABLE', 'Cannot remove personal namespace'),
  globalPrivate: () => illegalState('NAMESPACE.GLOBAL_PRIVATE', 'The global namespace cannot be private'),
  teamLocked: (kind: string) => illegalState('NAMESPACE.TEAM_LOCKED', `A ${kind} namespace cannot change team`),
  nameLocked: (kind: string) => illegalState('NAMESPACE.NAME_LOCKED', `A ${kind} namespace cannot be renamed`),
  invalidName: (message: string) => validation('NAMESPACE.INVALID_NAME', message, 'name'),
  invalidKind: () => validation('NAMESPACE.INVALID_KIND', 'kind must be global, personal or team', 'kind'),
  invalidVisibility: () =>
    validation('NAMESPACE.INVALID_VISIBILITY', 'visibility must be private, protected or public', 'visibility'),
  ownerRequired: () => validation('NAMESPACE.OWNER_REQUIRED', 'a personal namespace needs its user', 'ownerUserId'),
  descriptionTooLong: () =>
    validation('NAMESPACE.DESCRIPTION_TOO_LONG', 'description is too long (max 64 KiB)', 'description'),
} as const;
