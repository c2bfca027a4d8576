import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import baseConfig from '../../eslint.config.mjs';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), 'src');

/**
 * The floors of apps/api/src (docs/architecture.md, "Where things live"): a folder may import its own floor's
 * folders only as FEATURES allows, and any lower floor. Features sit on floor 5; a folder missing here is an
 * error, so a new folder is placed on purpose.
 */
const FLOORS = {
  platform: 0, // clock, event sourcing, read side, HTTP glue, problem details, draining, the server listener
  observability: 1, // metrics, logging
  identity: 2, // who is asking: passwords, tokens, sessions, lockout, the credential index
  'registry-auth': 3, // the registry edge: /v2/token
  'registry-events': 4, // the registry edge: notifications, the registry client and config
  app: 6, // the module, createApp
  cli: 7,
  'main.ts': 8,
};

/** FEATURES: each feature folder (floor 5) and the other features it may import — a DAG, read as the design. */
const FEATURES = {
  repositories: [],
  namespaces: ['repositories'],
  teams: ['namespaces'],
  provisioning: ['namespaces', 'teams'],
  users: ['provisioning'],
  registries: ['provisioning'],
  ldap: ['provisioning'],
  sessions: ['users'],
  webhooks: [],
  activities: [],
  search: [],
  explore: ['repositories'],
  meta: ['ldap', 'webhooks'],
};

/** TEST_ONLY: folders whose files only tests import (helpers, real servers, whole-topology specs). */
const TEST_ONLY = new Set(['testing', 'distributed']);

const floorOf = (folder) => (folder in FEATURES ? 5 : FLOORS[folder]);
const topFolder = (file) => relative(SRC, file).split(sep)[0];

/** floors is the rule that keeps the layout above true: no import runs up a floor, or across to a feature not listed. */
const floors = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    if (relative(SRC, file).startsWith('..')) return {};
    const from = topFolder(file);
    const isTest = /\.spec\.ts$/.test(file) || TEST_ONLY.has(from);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = topFolder(resolve(dirname(file), spec));
      if (to === from || to.startsWith('..')) return;
      if (TEST_ONLY.has(to)) {
        if (!isTest) context.report({ node, message: `production code may not import test helpers (${to}/)` });
        return;
      }
      if (isTest) return;
      for (const folder of [from, to])
        if (floorOf(folder) === undefined)
          return context.report({
            node,
            message: `${folder}/ has no floor: add it to FLOORS or FEATURES in apps/api/eslint.config.mjs`,
          });
      const [a, b] = [floorOf(from), floorOf(to)];
      if (b > a)
        context.report({ node, message: `${from}/ (floor ${a}) may not import ${to}/ (floor ${b}): imports run down` });
      else if (a === 5 && b === 5 && !FEATURES[from].includes(to))
        context.report({
          node,
          message: `feature ${from}/ may not import feature ${to}/ (allowed: ${FEATURES[from].join(', ') || 'none'})`,
        });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default [
  ...baseConfig,
  {
    // NOTE: Nest resolves constructor parameters from decorator metadata, so an import used only in a
    // constructor type is a runtime import; the parser must know, or consistent-type-imports would
    // turn DI tokens into `import type` and break injection.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { api: { rules: { floors } } },
    rules: { 'api/floors': 'error' },
  },
];
