/** VERSION is what `/api/version` reports; the commit is stamped by the build when known. */
export const VERSION = {
  version: process.env['npm_package_version'] ?? '0.1.0',
  git: process.env['PORTCULLIS_GIT_COMMIT'] ? { commit: process.env['PORTCULLIS_GIT_COMMIT'] } : null,
};
