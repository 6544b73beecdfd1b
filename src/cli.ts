#!/usr/bin/env node
import { loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { createCliContext } from './cli/cli-context.ts';
import { runCli } from './cli/run-cli.ts';
import { createLogger } from './logger.ts';

/** Terminal entry point: `npm run cli -- plan …` or the package's `integration-planner` bin. */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof AppError ? error.message : String(error)}\n`);
    return 2;
  }
  const logger = createLogger({ level: config.logLevel ?? 'warn', pretty: false });
  const interactive = process.stdin.isTTY && process.stderr.isTTY;
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, interactive };
  return runCli(process.argv.slice(2), createCliContext(config, logger, io));
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
});
