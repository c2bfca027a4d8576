import { Logger } from '@nestjs/common';
import { createApp, listen } from './app/create-app';
import { onShutdownSignals } from './platform/graceful-shutdown';
import { ConfigError, loadConfig } from '@portcullis/config';
import { runCli } from './cli/cli';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const args = process.argv.slice(2);
  if (args.length) {
    process.exitCode = await runCli(args, config);
    return;
  }
  const app = await createApp(config);
  onShutdownSignals(app, config.drainTimeoutMs, new Logger('shutdown'));
  await listen(app, config);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
