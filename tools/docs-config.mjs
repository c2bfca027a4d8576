#!/usr/bin/env node
// `npm run docs:config`: writes docs/configuration.md from libs/config's CONFIG_KEYS (config-reference.ts).
// libs/config/src/config-reference.unit.spec.ts, part of `npm test`, fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
process.env.SWC_NODE_PROJECT ??= resolve(root, 'tsconfig.base.json');
const require = createRequire(import.meta.url);
require('@swc-node/register');
const { renderConfigReference } = require('../libs/config/src/config-reference.ts');
const out = resolve(root, 'docs/configuration.md');
writeFileSync(out, renderConfigReference());
console.log(`wrote ${out}`);
