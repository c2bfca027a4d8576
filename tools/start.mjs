#!/usr/bin/env node
// `npm start`: the embedded default. Runs the api and the projector as two processes on one data
// dir (docs/architecture.md, "Processes"), forwards SIGINT/SIGTERM to both, and exits when either
// exits, so a supervisor sees the failure instead of a half-running service.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const env = { ...process.env };
env.PORTCULLIS_DATA_DIR = resolve(root, env.PORTCULLIS_DATA_DIR ?? 'data');
mkdirSync(env.PORTCULLIS_DATA_DIR, { recursive: true });

for (const main of ['dist/apps/api/main.js', 'dist/apps/projector/main.js']) {
  if (!existsSync(resolve(root, main))) {
    console.error(`${main} is missing: run \`npm run build\` first (npm start does this for you).`);
    process.exit(1);
  }
}

const children = [
  spawn(process.execPath, ['dist/apps/projector/main.js'], { cwd: root, env, stdio: 'inherit' }),
  spawn(process.execPath, ['dist/apps/api/main.js'], { cwd: root, env, stdio: 'inherit' }),
];
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill(signal);
};
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => stop(s));
let exited = 0;
for (const c of children) {
  c.on('exit', (code, signal) => {
    exited += 1;
    if (!stopping) {
      console.error(`${c.spawnargs[1]} exited (${signal ?? code}); stopping the other process`);
      process.exitCode = code || 1;
      stop('SIGTERM');
    }
    if (exited === children.length) process.exit(process.exitCode ?? 0);
  });
}
