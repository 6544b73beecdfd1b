import { createServer, type Server } from 'node:http';
import { loadConfig, type Config } from './config.ts';
import { AppError } from './errors.ts';
import { createPlanner, type Planner } from './core/planner.ts';
import { API_KEY_VARIABLE, createModelClient } from './llm/create-model-client.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadPromptLibrary, type PromptLibrary } from './prompts/load-prompts.ts';

/** The platform-neutral core every entry point shares. */
export interface Core {
  readonly prompts: PromptLibrary;
  /** Undefined while no API key is configured for the provider. */
  readonly planner: Planner | undefined;
}

/** Loads the prompts (failing on a broken file) and builds the planner for the configured model. */
export async function createCore(config: Config, logger: Logger): Promise<Core> {
  const prompts = await loadPromptLibrary(config.promptsDir);
  const provider = config.llm.provider;
  if (config.llm[provider].apiKey === undefined) {
    logger.warn({ provider }, `no model API key: set ${API_KEY_VARIABLE[provider]} to write plans`);
    return { prompts, planner: undefined };
  }
  const defaultModel = prompts.plan(config.plan.defaultLanguage).defaults[provider].model;
  const planner = createPlanner({ prompts, model: createModelClient(config.llm, defaultModel) });
  logger.info({ provider, model: planner.model, strategy: config.plan.strategy }, 'planner ready');
  return { prompts, planner };
}

function startHttp(port: number, logger: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  return new Promise((resolve) => {
    server.listen(port, () => {
      logger.info({ port }, 'listening');
      resolve(server);
    });
  });
}

/** The composition root: config → logger → core → HTTP → shutdown. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof AppError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel ?? 'info', pretty: config.nodeEnv === 'development' && process.stderr.isTTY });
  await createCore(config, logger);
  logger.info('chat platforms: Slack and Teams adapters are not part of this build yet; use the CLI (npm run cli -- plan)');
  const server = await startHttp(config.port, logger);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.main) await main();
