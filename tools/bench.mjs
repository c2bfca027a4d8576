#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>.bench.ts with TypeScript paths resolved, writing
// bench/results/<name>.json. Benchmarks live here, never in timed unit tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const names = readdirSync(resolve(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <${names.join('|')}> [options]`);
  process.exit(2);
}
const file = resolve(root, 'bench', `${name}.bench.ts`);
if (!existsSync(file)) process.exit(2);
const run = spawnSync(process.execPath, ['--expose-gc', '-r', '@swc-node/register', file, ...rest], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SWC_NODE_PROJECT: resolve(root, 'tsconfig.base.json') },
});
process.exit(run.status ?? 1);
