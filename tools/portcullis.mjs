#!/usr/bin/env node
// `npm run portcullis -- <command>`: dispatches to the api's or the projector's built CLI,
// building them first when they are missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const [command, ...rest] = process.argv.slice(2);
const target = command === 'rebuild-read-models' ? 'projector' : 'api';
const main = resolve(root, `dist/apps/${target}/main.js`);
if (!existsSync(main)) {
  const built = spawnSync('npx', ['nx', 'build', target, '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const run = spawnSync(process.execPath, [main, ...(command ? [command] : ['help']), ...rest], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
