import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { renderPlanPrompts } from '../core/prompt-builder.ts';
import { requireApiKey } from '../llm/require-api-key.ts';
import { loadPromptLibrary } from '../prompts/load-prompts.ts';
import { startPlanning, type Planning } from '../runtime.ts';
import type { PlanRecord, RevisionRecord } from '../store/plan-records.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './cli-io.ts';
import { collectPlanRequest } from './collect-request.ts';
import { parsePlanFlags, PLAN_USAGE } from './plan-flags.ts';
import { revisionToJson } from './plan-output.ts';
import { revisionMarkdown } from '../render/plan-markdown.ts';
import { readSpecArg } from './spec-arg.ts';
import { createTerminalDelivery } from './terminal-delivery.ts';

const POLL_MS = 200;

/** Who the CLI says made a plan. */
export function cliUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

/**
 * Submits through `submit` while this process works the local queue, waits until the revision
 * is done or failed, then prints what this process did not print itself (another CLI process
 * sharing the database may have run the job). Exit 0 when done, 1 when failed.
 */
export async function submitAndFollow(
  ctx: CliContext,
  json: boolean,
  submit: (planning: Planning) => Promise<{ plan: PlanRecord; revision: RevisionRecord } | undefined>,
): Promise<number | undefined> {
  const runtime = await ctx.runtime();
  const printed = new Set<string>();
  const delivery = createTerminalDelivery({ stdout: ctx.io.stdout, stderr: ctx.io.stderr, quiet: json, printed });
  const planning = await startPlanning(runtime, { queues: ['plan-run-local'], deliveries: { cli: delivery } });
  try {
    const submitted = await submit(planning);
    if (submitted === undefined) return undefined;
    const { plan } = submitted;
    ctx.io.stderr.write(
      `Saved as plan ${plan.number}, revision ${submitted.revision.number} (workspace ${plan.workspaceId})\n`,
    );
    for (;;) {
      const revision = await runtime.store.getRevisionById(plan.workspaceId, submitted.revision.id);
      if (revision === undefined) throw new Error('revision disappeared');
      if (revision.status === 'done' || revision.status === 'failed') {
        if (json) ctx.io.stdout.write(`${JSON.stringify(revisionToJson(plan, revision), null, 2)}\n`);
        else if (!printed.has(revision.id) && revision.status === 'done')
          ctx.io.stdout.write(revisionMarkdown(plan, revision));
        return revision.status === 'done' ? EXIT.ok : EXIT.failed;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await planning.stop({ graceful: true, timeoutMs: 5_000 });
  }
}

/** `plan`: validates, saves plan + revision + job, writes the plan, prints it. */
export async function runPlanCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { config, io } = ctx;
  const flags = parsePlanFlags(argv);
  if (flags.help) {
    io.stdout.write(PLAN_USAGE);
    return EXIT.ok;
  }
  const language = flags.language ?? config.plan.defaultLanguage;
  const request = await collectPlanRequest(flags, language, io);
  const strategy = flags.strategy ?? config.plan.strategy;
  if (flags.dryRun) {
    const rendered = renderPlanPrompts(await loadPromptLibrary(config.promptsDir), request, strategy);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ strategy, prompts: rendered }, null, 2)}\n`);
      return EXIT.ok;
    }
    for (const prompt of rendered) {
      io.stdout.write(
        `===== ${prompt.purpose}: system =====\n${prompt.system}\n\n===== ${prompt.purpose}: user =====\n${prompt.user}\n\n`,
      );
    }
    return EXIT.ok;
  }
  requireApiKey(config.llm);
  const spec = await readSpecArg(flags.spec, config.specFetch);
  const code = await submitAndFollow(ctx, flags.json, (planning) =>
    planning.service.submit(request, {
      workspaceId: flags.workspace,
      platform: 'cli',
      requestedBy: cliUser(),
      idempotencyKey: `cli:${randomUUID()}`,
      strategy,
      spec,
    }),
  );
  return code ?? EXIT.failed;
}
