import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * createFileOnce writes `content` to `file` unless the file exists, atomically for processes that race for it
 * (api replicas and the dispatcher starting on one data dir): the content is written whole to a temporary name
 * and hard-linked into place, and the link fails when the file is there. So a reader never sees a partly
 * written file, and no process replaces a file another has already read. The directory is made 0700.
 */
export function createFileOnce(file: string, content: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, content, { mode, flag: 'wx' });
  chmodSync(tmp, mode);
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
}
