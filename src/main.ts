import { loadConfig, type Config } from './config.ts';
import { AppError } from './errors.ts';
import { createLogger } from './logger.ts';
import { startService, type Service } from './service.ts';

/** Process entry: config → logger → service → stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof AppError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const logger = createLogger({
    level: config.logLevel ?? 'info',
    pretty: config.nodeEnv === 'development' && process.stderr.isTTY,
  });
  let service: Service;
  try {
    service = await startService(config, logger);
  } catch (error) {
    // One structured line saying why (a rejected Slack token, a port in use …), then exit 1.
    logger.fatal({ err: error }, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    logger.flush();
    process.exit(1);
  }
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.main) await main();
