import type { ParseArgsOptionsConfig } from 'node:util';
import type { CliContext } from './cli-context.ts';
import { parsePlanNumber } from '../plans/plan-commands.ts';
import { EXIT, parseFlags, UsageError } from './cli-io.ts';
import { revisionToJson } from './plan-output.ts';
import { revisionMarkdown } from '../render/plan-markdown.ts';
import { REVIEW_STATES, type ReviewState } from '../store/plan-records.ts';

function parse(argv: readonly string[], options: ParseArgsOptionsConfig) {
  return parseFlags({ args: [...argv], strict: true, allowPositionals: true, options });
}

/** A plan id argument, or a usage error that says what an id looks like. */
export function planNumberArg(positional: string | undefined, command: string): number {
  if (positional === undefined) throw new UsageError(`${command} needs a plan id, e.g. "${command} 42"`);
  const number = parsePlanNumber(positional);
  if (number === undefined || number < 1) {
    throw new UsageError(`"${positional}" is not a plan id: plan ids are whole numbers like 42 (see: list)`);
  }
  return number;
}

const pad = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);

/** `--status in-review|approved|changes-requested` as the store's review state. */
function reviewFlag(value: unknown): ReviewState | undefined {
  if (typeof value !== 'string') return undefined;
  const state = value.replaceAll('-', '_');
  if (!(REVIEW_STATES as readonly string[]).includes(state)) {
    throw new UsageError('--status must be in-review, approved or changes-requested');
  }
  return state as ReviewState;
}

/** `list [--search text] [--status state] [--limit N] [--json] [--workspace ID]`: newest plans first. */
export async function runListCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    search: { type: 'string' },
    limit: { type: 'string', default: '20' },
    status: { type: 'string' },
    json: { type: 'boolean', default: false },
    workspace: { type: 'string', default: 'local' },
  });
  const review = reviewFlag(values.status);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new UsageError('--limit must be a whole number from 1 to 200');
  const search = typeof values.search === 'string' ? values.search : positionals.join(' ') || undefined;
  const workspace = String(values.workspace);
  const { store } = await ctx.runtime();
  const plans = await store.listPlans(workspace, { search, limit, review });
  if (values.json === true) {
    ctx.io.stdout.write(
      `${JSON.stringify(
        plans.map((plan) => ({
          planId: plan.number,
          title: plan.title,
          revisions: plan.latestRevision,
          status: plan.latestStatus,
          review: plan.latestReview,
          costUsd: plan.latestCostUsd,
          createdBy: plan.createdBy,
          createdAt: plan.createdAt.toISOString(),
        })),
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  if (plans.length === 0) {
    ctx.io.stdout.write(
      search === undefined ? `No plans in workspace ${workspace} yet.\n` : `No plans match "${search}".\n`,
    );
    return EXIT.ok;
  }
  ctx.io.stdout.write(
    `${pad('id', 6)} ${pad('title', 50)} ${pad('revs', 5)} ${pad('status', 8)} ${pad('review', 17)} ${pad('created', 17)} by\n`,
  );
  for (const plan of plans) {
    const created = plan.createdAt.toISOString().slice(0, 16).replace('T', ' ');
    ctx.io.stdout.write(
      `${pad(String(plan.number), 6)} ${pad(plan.title, 50)} ${pad(String(plan.latestRevision), 5)} ${pad(plan.latestStatus, 8)} ${pad(plan.latestReview.replace('_', ' '), 17)} ${pad(created, 17)} ${plan.createdBy}\n`,
    );
  }
  return EXIT.ok;
}

/** `show <id> [--revision N] [--json] [--workspace ID]`: one saved revision in full. */
export async function runShowCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    revision: { type: 'string' },
    json: { type: 'boolean', default: false },
    workspace: { type: 'string', default: 'local' },
  });
  const number = planNumberArg(positionals[0], 'show');
  const revisionNumber = values.revision === undefined ? undefined : Number(values.revision);
  if (revisionNumber !== undefined && (!Number.isInteger(revisionNumber) || revisionNumber < 1)) {
    throw new UsageError('--revision must be a whole number from 1');
  }
  const workspace = String(values.workspace);
  const { store } = await ctx.runtime();
  const plan = await store.findPlan(workspace, number);
  if (plan === undefined) throw new UsageError(`There is no plan ${number} in workspace ${workspace} (see: list).`);
  const revision = await store.getRevision(workspace, number, revisionNumber);
  if (revision === undefined) {
    const range = plan.latestRevision === 1 ? 'only revision 1' : `revisions 1 to ${plan.latestRevision}`;
    throw new UsageError(`Plan ${number} has ${range}; there is no revision ${String(revisionNumber)}.`);
  }
  const decisions = await store.decisionsOf(workspace, revision.id);
  ctx.io.stdout.write(
    values.json === true
      ? `${JSON.stringify({ ...revisionToJson(plan, revision), decisions }, null, 2)}\n`
      : revisionMarkdown(plan, revision, decisions),
  );
  return EXIT.ok;
}
