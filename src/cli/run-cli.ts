import { AppError, asAppError } from '../errors.ts';
import { userMessage } from '../core/user-messages.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT, UsageError } from './cli-io.ts';
import { SpecError } from '../grounding/spec-error.ts';
import { specErrorText } from '../grounding/spec-texts.ts';
import { runPlanCommand } from './plan-command.ts';
import { runRerunCommand } from './rerun-command.ts';
import { runDiffCommand } from './diff-command.ts';
import { runListCommand, runShowCommand } from './saved-commands.ts';
import { runMigrateCommand, runWorkCommand } from './work-command.ts';

const USAGE = `Usage: integration-planner <command> [flags]

Commands:
  plan        write and save an integration plan (see: plan --help)
  rerun <id>  write the next revision of a plan with new figures, e.g. --calls-per-second 500
  list        saved plans, newest first [--search text] [--limit N] [--json]
  show <id>   a saved plan in full [--revision N] [--json]
  diff <id>   what changed between two revisions [--from N] [--to N] [--json] (default: the last two)
  work        finish CLI plans left unfinished (e.g. after a crash), then exit
  migrate     apply database migrations
  help        this text

Plans are saved in DATABASE_URL (Postgres) or, without it, in DATA_DIR (default ./data).
plan, rerun, list, show and diff take --workspace ID (default local).
`;

/**
 * The CLI: the same planner and store as the chat apps, with progress on stderr and plans on
 * stdout. Returns the exit code: 0 done, 1 the plan failed, 2 bad usage or input.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'plan':
        return await runPlanCommand(rest, ctx);
      case 'rerun':
        return await runRerunCommand(rest, ctx);
      case 'list':
        return await runListCommand(rest, ctx);
      case 'show':
        return await runShowCommand(rest, ctx);
      case 'diff':
        return await runDiffCommand(rest, ctx);
      case 'work':
        return await runWorkCommand(ctx);
      case 'migrate':
        return await runMigrateCommand(ctx);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        ctx.io.stdout.write(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}" (see: integration-planner help)`);
    }
  } catch (error) {
    return reportFailure(error, ctx);
  } finally {
    await ctx.close();
  }
}

function reportFailure(error: unknown, ctx: CliContext): number {
  const { io, logger, config } = ctx;
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  // A spec that cannot be used is the caller's to fix, like a bad flag: its sentence, exit 2.
  if (error instanceof SpecError) {
    io.stderr.write(`error: ${specErrorText(error, config.plan.defaultLanguage)}\n`);
    return EXIT.usage;
  }
  const appError = asAppError(error);
  if (appError.code === 'MISSING_API_KEY' || appError.code === 'CONFIG_INVALID' || appError.code === 'PROMPT_INVALID') {
    io.stderr.write(`error: ${appError.message}\n`);
    return EXIT.usage;
  }
  logger.error({ err: appError, code: appError.code, requestId: appError.requestId }, 'command failed');
  const reference =
    appError instanceof AppError && appError.requestId !== undefined ? ` (request id ${appError.requestId})` : '';
  io.stderr.write(`error: ${userMessage(appError, config.plan.defaultLanguage)} [${appError.code}]${reference}\n`);
  return EXIT.failed;
}
