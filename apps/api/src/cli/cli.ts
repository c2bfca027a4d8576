import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@portcullis/domain';
import { ZodError } from 'zod';
import { AppModule } from '../app/app.module';
import type { AppConfig } from '@portcullis/config';
import { RegisterUserCommand } from '../users/users.commands';
import { ReadSide } from '../platform/read-side';
import { writeRegistryConfig } from '../registry-events/registry-config.cli';
import { runDispatcherProcess } from '../webhooks/dispatcher-process';

/** USAGE is printed by `help` and after any usage error. */
export const USAGE = `Usage: npm run portcullis -- <command> [options]

Commands:
  create-admin --username <name> --email <email> [--password <pw>]
                          create an admin user (password also from PORTCULLIS_ADMIN_PASSWORD)
  registry-config --registry <name> --out <dir> [--listen 127.0.0.1:5000] [--portcullis-url <url>]
                          write a runnable docker-registry 2.8 config.yml (0600) and the token cert bundle
                          into <dir> (storage in <dir>/storage); then: docker-registry serve <dir>/config.yml
  rebuild-read-models     drop every read model and rebuild it by replaying all events
  dispatch-webhooks       run only the webhook dispatcher until SIGTERM/SIGINT (docs/architecture.md, Webhooks)
  help                    show this help

Configuration comes from PORTCULLIS_* environment variables and the config file (docs/configuration.md).`;

/** UsageError is a mistake in the command line: exit 2 with the usage. */
export class UsageError extends Error {}

/** parseFlags reads `--name value` pairs; unknown or repeated flags are usage errors. */
export function parseFlags(args: string[], allowed: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    if (!flag.startsWith('--') || !allowed.includes(flag.slice(2))) throw new UsageError(`unknown option ${flag}`);
    if (args[i + 1] === undefined || args[i + 1].startsWith('--')) throw new UsageError(`option ${flag} needs a value`);
    if (out[flag.slice(2)] !== undefined) throw new UsageError(`option ${flag} given twice`);
    out[flag.slice(2)] = args[i + 1];
  }
  return out;
}

/** oneShot is the config of a short CLI run: projections in-process, no webhook dispatcher or publisher. */
function oneShot(config: AppConfig): AppConfig {
  return {
    ...config,
    embeddedProjector: true,
    natsUrl: null,
    webhooks: { ...config.webhooks, dispatcherEnabled: false },
  };
}

/** runCli executes one api-side command and returns the process exit code. */
export async function runCli(
  argv: string[],
  config: AppConfig,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'help':
      case '--help':
      case '-h':
        out.write(USAGE + '\n');
        return 0;
      case 'create-admin': {
        const flags = parseFlags(rest, ['username', 'email', 'password']);
        const password = flags['password'] ?? process.env['PORTCULLIS_ADMIN_PASSWORD'];
        if (!flags['username'] || !flags['email'] || !password)
          throw new UsageError(
            'create-admin needs --username, --email and a password (--password or PORTCULLIS_ADMIN_PASSWORD)',
          );
        // The projections run in-process here so the admin's personal namespace sees the registry.
        const app = await NestFactory.createApplicationContext(AppModule.forRoot(oneShot(config)), { logger: false });
        try {
          const done = await app.get(CommandBus).execute(
            new RegisterUserCommand(null, {
              username: flags['username'],
              email: flags['email'],
              password,
              displayName: null,
              admin: true,
              bot: false,
            }),
          );
          await app.get(ReadSide).waitFor(done.position);
          out.write(`created admin ${flags['username']} (id ${done.id})\n`);
        } finally {
          await app.close();
        }
        return 0;
      }
      case 'registry-config': {
        const flags = parseFlags(rest, ['registry', 'out', 'listen', 'portcullis-url']);
        if (!flags['registry'] || !flags['out']) throw new UsageError('registry-config needs --registry and --out');
        const app = await NestFactory.createApplicationContext(AppModule.forRoot(oneShot(config)), { logger: false });
        try {
          const written = await writeRegistryConfig(app, {
            registry: flags['registry'],
            out: flags['out'],
            listen: flags['listen'],
            portcullisUrl: flags['portcullis-url'] ?? `http://${config.host}:${config.port}`,
          });
          out.write(`wrote ${written.join(', ')}\nrun: docker-registry serve ${written[0]}\n`);
        } finally {
          await app.close();
        }
        return 0;
      }
      case 'dispatch-webhooks': {
        if (rest.length) throw new UsageError('dispatch-webhooks takes no options');
        const stop = await runDispatcherProcess(config);
        const signal = await new Promise<string>((resolve) => {
          process.once('SIGTERM', () => resolve('SIGTERM'));
          process.once('SIGINT', () => resolve('SIGINT'));
        });
        await stop();
        out.write(`webhook dispatcher stopped (${signal})\n`);
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`error: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof DomainError || e instanceof ZodError) {
      err.write(
        `error: ${e instanceof ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : e.message}\n`,
      );
      return 1;
    }
    throw e;
  }
}
