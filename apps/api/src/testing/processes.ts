import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// Portcullis's own processes (api, projector, webhook dispatcher) as real child processes from the TypeScript
// sources (ts-node, transpile only), for the multi-process tests and the scale bench. Each is stopped by its PID.

const ROOT = join(__dirname, '../../../..');

const register = (tsconfig: string) => `
  require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(join(ROOT, tsconfig))},
    compilerOptions: { module: 'commonjs' } });
  const base = require(${JSON.stringify(join(ROOT, 'tsconfig.base.json'))}).compilerOptions;
  require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(ROOT)}, paths: base.paths });
  require('reflect-metadata');
`;

const SCRIPTS = {
  api: `${register('apps/api/tsconfig.app.json')}
    const { loadConfig } = require(${JSON.stringify(join(ROOT, 'libs/config/src/load-config.ts'))});
    const { createApp, listen } = require(${JSON.stringify(join(ROOT, 'apps/api/src/app/create-app.ts'))});
    const config = loadConfig(process.env);
    createApp(config).then((app) => { app.enableShutdownHooks(); return listen(app, config); })
      .then((url) => process.stdout.write('api ready ' + url + '\\n'), (e) => { console.error(e); process.exit(1); });
  `,
  projector: `${register('apps/projector/tsconfig.app.json')}
    require(${JSON.stringify(join(ROOT, 'apps/projector/src/main.ts'))});
  `,
  dispatcher: `${register('apps/api/tsconfig.app.json')}
    const { loadConfig } = require(${JSON.stringify(join(ROOT, 'libs/config/src/load-config.ts'))});
    const { runDispatcherProcess } = require(${JSON.stringify(join(ROOT, 'apps/api/src/webhooks/dispatcher-process.ts'))});
    runDispatcherProcess(loadConfig(process.env)).then((stop) => {
      process.stdout.write('dispatcher ready\\n');
      process.once('SIGTERM', () => stop().then(() => process.exit(0)));
    }, (e) => { console.error(e); process.exit(1); });
  `,
} as const;

/** PortcullisProcessKind names the processes startProcess can run. */
export type PortcullisProcessKind = keyof typeof SCRIPTS;

/** PortcullisProcess is one running child: its output so far, a wait on that output, and stop by PID. */
export interface PortcullisProcess {
  readonly kind: PortcullisProcessKind;
  readonly child: ChildProcess;
  output(): string;
  /** waitFor resolves with the first match of `pattern` in the output (checked as it arrives), or rejects. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** exited is true once the process has ended. */
  exited(): boolean;
  /** kill sends a signal to this PID (SIGKILL for a crash) and resolves when the process has ended. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const profiling = () =>
  process.env['PORTCULLIS_TEST_CPU_PROF_DIR']
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env['PORTCULLIS_TEST_CPU_PROF_DIR']}`]
    : [];

/**
 * startProcess spawns a Portcullis process with `env` on top of this process's environment. `name` prefixes
 * its output when PORTCULLIS_TEST_VERBOSE is set.
 */
export function startProcess(
  kind: PortcullisProcessKind,
  env: Record<string, string>,
  name: string = kind,
): PortcullisProcess {
  const child = spawn(process.execPath, [...profiling(), '-e', SCRIPTS[kind]], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return supervised(kind, child, name);
}

/**
 * startBuiltProcess runs the built bundle exactly as `npm start` (tools/start.mjs) does, `node
 * dist/apps/<kind>/main.js` (build it first: `npm run build`), for benchmarks that must measure what users run:
 * a `node -e` script (startProcess) makes Node define every built-in module as a lazy global, and code that walks
 * the globals then loads `domain` too, which wraps every EventEmitter and timer in the process.
 */
export function startBuiltProcess(
  kind: 'api' | 'projector',
  env: Record<string, string>,
  name: string = kind,
): PortcullisProcess {
  const main = join(ROOT, 'dist/apps', kind, 'main.js');
  const child = spawn(process.execPath, [...profiling(), main], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return supervised(kind, child, name);
}

function supervised(kind: PortcullisProcessKind, child: ChildProcess, name: string): PortcullisProcess {
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-200_000);
    if (process.env['PORTCULLIS_TEST_VERBOSE']) process.stderr.write(`[${name}] ${chunk.toString()}`);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.on('exit', () => {
    for (const l of listeners) l();
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    kind,
    child,
    output: () => out,
    exited,
    waitFor(pattern, ms = 90_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) return done(() => resolve(match));
          if (exited()) return done(() => reject(new Error(`${name} exited before ${pattern}:\n${out.slice(-4000)}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`${name}: no ${pattern} within ${ms} ms:\n${out.slice(-4000)}`))),
          ms,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (exited()) return;
      const ended = new Promise((r) => child.once('exit', r));
      process.kill(child.pid as number, signal);
      const timer = setTimeout(() => !exited() && process.kill(child.pid as number, 'SIGKILL'), 15_000);
      await ended;
      clearTimeout(timer);
    },
  };
}

/** withDatabase puts `name` into a mongodb:// URL's path, keeping host and options. */
export function withDatabase(base: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)\/?([^?]*)(\?.*)?$/.exec(base);
  if (!match) throw new Error(`not a mongodb:// URL: ${base}`);
  return `${match[1]}/${name}${match[3] ?? ''}`;
}
