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

/**
 * WRITE_DOOR: what appends, and the files that define it (docs/architecture.md, "One write door"). Everything that
 * appends is a command (data) run by a command handler; handlers live in `*.commands.ts` files, and only those may
 * import these names. The rest dispatch through the CommandBus.
 */
const WRITE_DOOR = {
  'platform/event-sourcing': ['EventSourcing'],
  'registry-events/repository-writer': ['RepositoryWriter'],
};

/**
 * WRITE_DOOR_EXCEPTIONS: files that may import the write door without being handlers, each for a reason given
 * in docs/architecture.md (keep the two lists equal).
 */
const WRITE_DOOR_EXCEPTIONS = new Set([
  // Registers EventSourcing as a provider; appends nothing.
  'app/app.module.ts',
  // Registers RepositoryWriter as a provider; appends nothing.
  'registry-events/registry-events.parts.ts',
  // The repository streams' load → decide → append loop, used by handlers only (the rule holds it to that).
  'registry-events/repository-writer.ts',
  // A reactor outside Nest (dispatch-webhooks has no CommandBus); an attempt appends at the revision it read
  // before sending, so two members attempting one delivery conflict instead of both recording.
  'webhooks/delivery/webhook-dispatcher.ts',
]);

const srcPath = (file) => relative(SRC, file).split(sep).join('/');

/** writeDoor keeps appends behind command handlers: only `*.commands.ts` (and the exceptions) import WRITE_DOOR. */
const writeDoor = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    const path = srcPath(file);
    if (path.startsWith('..')) return {};
    const isTest = /\.spec\.ts$/.test(file) || TEST_ONLY.has(topFolder(file));
    if (isTest || path.endsWith('.commands.ts') || WRITE_DOOR_EXCEPTIONS.has(path)) return {};
    return {
      ImportDeclaration(node) {
        const spec = node.source.value;
        if (typeof spec !== 'string' || !spec.startsWith('.') || node.importKind === 'type') return;
        const names = WRITE_DOOR[srcPath(resolve(dirname(file), spec))];
        if (!names) return;
        for (const s of node.specifiers)
          if (s.type === 'ImportSpecifier' && s.importKind !== 'type' && names.includes(s.imported.name))
            context.report({
              node: s,
              message: `${s.imported.name} is the write door: only command handlers (*.commands.ts) use it; send a command through the CommandBus (docs/architecture.md, "One write door")`,
            });
      },
    };
  },
};

/** hasFunctionType: a type annotation that spells a function or constructor type anywhere inside it. */
function hasFunctionType(node) {
  if (!node || typeof node !== 'object') return false;
  if (node.type === 'TSFunctionType' || node.type === 'TSConstructorType') return true;
  return Object.entries(node).some(
    ([k, v]) => k !== 'parent' && (Array.isArray(v) ? v.some(hasFunctionType) : v?.type && hasFunctionType(v)),
  );
}

/**
 * commandsAreData: a class extending `Command` takes no function in its constructor (commands are data, so a
 * process manager can store and re-issue them, issue 18). Syntactic: a function type behind an alias is not seen;
 * the e2e harness checks every dispatched command with structuredClone as well.
 */
const commandsAreData = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    return {
      'ClassDeclaration[superClass.name="Command"] MethodDefinition[kind="constructor"]'(node) {
        for (const param of node.value.params) {
          const annotated = param.type === 'TSParameterProperty' ? param.parameter : param;
          if (hasFunctionType(annotated.typeAnnotation))
            context.report({
              node: param,
              message: 'commands are data: no function in a command (docs/architecture.md, "One write door")',
            });
        }
      },
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
    plugins: { api: { rules: { floors, 'write-door': writeDoor, 'commands-are-data': commandsAreData } } },
    rules: { 'api/floors': 'error', 'api/write-door': 'error', 'api/commands-are-data': 'error' },
  },
];
