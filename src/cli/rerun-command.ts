import { randomUUID } from 'node:crypto';
import { InputError } from '../errors.ts';
import { fieldLabel } from '../core/plan-request.ts';
import { requireApiKey } from '../llm/require-api-key.ts';
import type { CliContext } from './cli-context.ts';
import { parseFlags, UsageError } from './cli-io.ts';
import { FLAG_OF, flagOf } from './plan-flags.ts';
import { cliUser, submitAndFollow } from './plan-command.ts';
import { planNumberArg } from './saved-commands.ts';
import { readSpecArg } from './spec-arg.ts';

/** `rerun <id> --calls-per-second 500 [--data-volume …]`: the next revision with new figures. */
export async function runRerunCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(Object.values(FLAG_OF).map((flag) => [flag, { type: 'string' as const }])),
      spec: { type: 'string' },
      json: { type: 'boolean', default: false },
      workspace: { type: 'string', default: 'local' },
    },
  });
  const number = planNumberArg(positionals[0], 'rerun');
  const changes = Object.fromEntries(
    Object.entries(FLAG_OF).flatMap(([field, flag]) => {
      const value = (values as Record<string, unknown>)[flag];
      return typeof value === 'string' ? [[field, value]] : [];
    }),
  );
  if (Object.keys(changes).length === 0 && values.spec === undefined) {
    throw new UsageError(
      'rerun needs at least one new value, e.g. --calls-per-second 500, --data-volume "20 GB/day" or --spec openapi.yaml',
    );
  }
  const spec = await readSpecArg(values.spec, ctx.config.specFetch);
  requireApiKey(ctx.config.llm);
  const workspace = values.workspace;
  const language = ctx.config.plan.defaultLanguage;
  try {
    const code = await submitAndFollow(ctx, values.json, (planning) =>
      planning.service.rerun({
        workspaceId: workspace,
        planNumber: number,
        changes,
        requestedBy: cliUser(),
        idempotencyKey: `cli:${randomUUID()}`,
        language,
        spec,
      }),
    );
    if (code === undefined) throw new UsageError(`There is no plan ${number} in workspace ${workspace} (see: list).`);
    return code;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new UsageError(
      error.issues
        .map((issue) => `${flagOf(issue.field)} (${fieldLabel(issue.field, language)}): ${issue.message}`)
        .join('\n'),
    );
  }
}
