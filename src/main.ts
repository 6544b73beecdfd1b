import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from './config.ts';
import { AppError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { startService, type ProcessRole, type Service } from './service.ts';
import { answerWorkerMessages, startWorkerProcesses, type WorkerProcesses } from './worker-processes.ts';

/**
 * The role of this process: PROCESS_ROLE when set (one Deployment per role); else, on Postgres,
 * the web process that starts PLAN_WORKER_PROCESSES workers beside it; else (embedded PGlite,
 * which one process owns, or no worker processes) everything in one process.
 */
function roleOf(config: Config): { role: ProcessRole; spawnWorkers: number } {
  if (config.process.role !== undefined) return { role: config.process.role, spawnWorkers: 0 };
  const split = config.database.url !== undefined && config.process.workerProcesses > 0;
  return split ? { role: 'web', spawnWorkers: config.process.workerProcesses } : { role: 'all', spawnWorkers: 0 };
}

async function start(config: Config, logger: Logger): Promise<{ service: Service; workers?: WorkerProcesses }> {
  const { role, spawnWorkers } = roleOf(config);
  if (spawnWorkers === 0) {
    const service = await startService(config, logger, { role });
    if (role === 'worker' && process.send !== undefined) answerWorkerMessages(() => service.metricsJson());
    return { service };
  }
  const workers = startWorkerProcesses({ count: spawnWorkers, script: fileURLToPath(import.meta.url), logger });
  try {
    return { service: await startService(config, logger, { role, workerMetrics: () => workers.metrics() }), workers };
  } catch (error) {
    await workers.stop(1000);
    throw error;
  }
}

/** Process entry: config → logger → service (and its workers) → stop on SIGTERM/SIGINT. */
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
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start(config, logger);
  } catch (error) {
    // One structured line saying why (a rejected Slack token, a port in use …), then exit 1.
    logger.fatal({ err: error }, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    logger.flush();
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    // A signal to the whole process group reaches workers twice (directly and forwarded): once is enough.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // The web process stops taking requests first, then its workers hand their plans back.
    const graceMs = config.shutdownGraceSeconds * 1000;
    started.service
      .stop()
      .then(() => started.workers?.stop(graceMs + 15_000))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A worker whose web process is gone stops too, handing its plans back.
  if (process.send !== undefined) process.once('disconnect', () => stop('disconnect'));
}

if (import.meta.main) await main();
