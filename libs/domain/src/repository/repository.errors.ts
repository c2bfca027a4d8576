import { forbidden, notFound, validation } from '../shared/domain-error';

/** RepositoryErrors lists every error the repository rules throw, one stable code each. */
export const RepositoryErrors = {
  notFound: () => notFound('REPOSITORY.NOT_FOUND', 'Repository not found'),
  tagNotFound: () => notFound('TAG.NOT_FOUND', 'Tag not found'),
  forbidden: () => forbidden('REPOSITORY.FORBIDDEN', 'You are not allowed to change this repository'),
  invalidName: () => validation('REPOSITORY.INVALID_NAME', 'not a valid repository name', 'repository'),
  invalidTag: () => validation('TAG.INVALID_NAME', 'not a valid tag name', 'tag'),
  invalidDigest: () => validation('TAG.INVALID_DIGEST', 'not a valid digest', 'digest'),
  descriptionTooLong: () =>
    validation('REPOSITORY.DESCRIPTION_TOO_LONG', 'description is too long (max 64 KiB)', 'description'),
} as const;
