import type { Config } from '../config.ts';
import { AppError, asAppError } from '../errors.ts';
import { createPlanner } from '../core/planner.ts';
import { renderPlanPrompts } from '../core/prompt-builder.ts';
import { userMessage } from '../core/user-messages.ts';
import { createModelClient } from '../llm/create-model-client.ts';
import type { Logger } from '../logger.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import { EXIT, UsageError, type CliIo } from './cli-io.ts';
import { collectPlanRequest } from './collect-request.ts';
import { parsePlanFlags, PLAN_USAGE } from './plan-flags.ts';
import { planToJson, planToMarkdown } from './plan-output.ts';
import { createProgressReporter } from './progress-reporter.ts';

export interface CliDeps {
  readonly config: Config;
  readonly prompts: PromptLibrary;
  readonly logger: Logger;
  readonly io: CliIo;
}

const USAGE = `Usage: integration-planner <command> [flags]

Commands:
  plan      write an integration plan (see: integration-planner plan --help)
  help      this text
`;

async function runPlan(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { config, prompts, io, logger } = deps;
  const flags = parsePlanFlags(argv);
  if (flags.help) {
    io.stdout.write(PLAN_USAGE);
    return EXIT.ok;
  }
  const language = flags.language ?? config.plan.defaultLanguage;
  const strategy = flags.strategy ?? config.plan.strategy;
  const request = await collectPlanRequest(flags, language, io);
  if (flags.dryRun) {
    const rendered = renderPlanPrompts(prompts, request, strategy);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ strategy, prompts: rendered }, null, 2)}\n`);
    } else {
      for (const prompt of rendered) {
        io.stdout.write(`===== ${prompt.purpose}: system =====\n${prompt.system}\n\n===== ${prompt.purpose}: user =====\n${prompt.user}\n\n`);
      }
    }
    return EXIT.ok;
  }
  const plan = prompts.plan(language);
  const model = createModelClient(config.llm, plan.defaults[config.llm.provider].model);
  const planner = createPlanner({ prompts, model });
  const result = await planner.plan(request, { strategy, onEvent: createProgressReporter(io.stderr, language) });
  logger.info({ usage: result.usage, costUsd: result.costUsd, durationMs: result.durationMs }, 'plan finished');
  io.stdout.write(flags.json ? `${JSON.stringify(planToJson(result), null, 2)}\n` : planToMarkdown(request, result, plan.title));
  const cost = result.costUsd.toFixed(4);
  io.stderr.write(`Done in ${(result.durationMs / 1000).toFixed(1)} s · ${result.usage.outputTokens} output tokens · $${cost}\n`);
  return EXIT.ok;
}

/**
 * The CLI: `plan` runs the same planner as the chat apps, with progress on stderr and the
 * plan on stdout. Returns the exit code: 0 done, 1 the plan failed, 2 bad usage or input.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'plan':
        return await runPlan(rest, deps);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        deps.io.stdout.write(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return reportFailure(error, deps);
  }
}

function reportFailure(error: unknown, deps: CliDeps): number {
  const { io, logger, config } = deps;
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  const appError = asAppError(error);
  if (appError.code === 'MISSING_API_KEY') {
    io.stderr.write(`error: ${appError.message}\n`);
    return EXIT.usage;
  }
  logger.error({ err: appError, code: appError.code, requestId: appError.requestId }, 'plan failed');
  const language = config.plan.defaultLanguage;
  const reference = appError instanceof AppError && appError.requestId !== undefined ? ` (request id ${appError.requestId})` : '';
  io.stderr.write(`error: ${userMessage(appError, language)} [${appError.code}]${reference}\n`);
  return EXIT.failed;
}
