import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ProjectorModule } from './app/projector.module';
import { rebuildReadModelsCommand } from './app/rebuild-read-models.command';
import { StoresModule } from './app/stores.module';

const logger = new Logger('projector');
// abortOnError: false lets a failed start reach main()'s catch, which logs one clear line and sets exit 1.

/** daemon runs the projections until SIGTERM/SIGINT. */
async function daemon(): Promise<void> {
  const app = await NestFactory.createApplicationContext(ProjectorModule, {
    abortOnError: false,
  });
  // Exit 0 once the runner and publisher have stopped and the stores are closed (not re-raise the signal):
  // supervisors and orchestrators read that as a clean stop.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
}

/** rebuild runs `rebuild-read-models` once; the exit code says whether it worked. */
async function rebuild(): Promise<void> {
  const app = await NestFactory.createApplicationContext(StoresModule, {
    abortOnError: false,
  });
  try {
    await rebuildReadModelsCommand(app);
  } finally {
    await app.close();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const [command] = argv;
  if (command === undefined) return daemon();
  if (command === 'rebuild-read-models') return rebuild();
  logger.error(`unknown command "${command}"; usage: main.js [rebuild-read-models]`);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  logger.error(
    `projector failed: ${error instanceof Error ? error.message : String(error)}`,
    error instanceof Error ? error.stack : undefined,
  );
  process.exitCode = 1;
});
