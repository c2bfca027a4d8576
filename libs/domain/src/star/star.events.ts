import type { DomainEvent } from '../shared/message';

// Stream: stars-<userId> (see starStreamId). Why the user's own stream, and not the repository's or the
// user's account stream: a star is one user's bookmark and only that user ever writes it, so a stream per
// user never contends. Repository streams are appended on every push and delete (a star would then race
// with registry notifications and retry), and the account stream (user-<id>) carries the guarded admin,
// lockout and profile changes that every sign-in replays. Counts per repository are a read-model concern.

/** RepositoryStarred: the user bookmarked the repository. */
export type RepositoryStarred = DomainEvent<'RepositoryStarred', { userId: number; repositoryId: number; at: string }>;
/** RepositoryUnstarred: the user removed the bookmark. */
export type RepositoryUnstarred = DomainEvent<
  'RepositoryUnstarred',
  { userId: number; repositoryId: number; at: string }
>;
/** StarEvent is every event of a stars stream. */
export type StarEvent = RepositoryStarred | RepositoryUnstarred;
