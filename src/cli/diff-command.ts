import type { CliContext } from './cli-context.ts';
import { EXIT, parseFlags, UsageError } from './cli-io.ts';
import { planNumberArg } from './saved-commands.ts';
import { comparePlanRevisions, diffRefusal } from '../plans/revision-diff.ts';
import { comparisonMarkdown, comparisonTitle } from '../render/comparison-markdown.ts';

function revisionFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a revision number from 1`);
  return number;
}

/**
 * `diff <id> [--from N] [--to N] [--json] [--workspace ID]`: what changed between two revisions
 * (the last two by default): inputs, figures, decisions and each section, as Markdown or JSON.
 */
export async function runDiffCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
      workspace: { type: 'string', default: 'local' },
    },
  });
  const number = planNumberArg(positionals[0], 'diff');
  const revisions = { from: revisionFlag(values.from, '--from'), to: revisionFlag(values.to, '--to') };
  const { store } = await ctx.runtime();
  const outcome = await comparePlanRevisions(store, values.workspace, number, revisions);
  const refusal = diffRefusal(outcome, String(number), 'en');
  if (refusal !== undefined || outcome.kind !== 'compared') throw new UsageError(refusal ?? 'nothing to compare');
  const { comparison } = outcome;
  ctx.io.stdout.write(
    values.json
      ? `${JSON.stringify(comparison, null, 2)}\n`
      : `# ${comparisonTitle(comparison)}\n\n${comparisonMarkdown(comparison)}\n`,
  );
  return EXIT.ok;
}
