import { migrate, readMigrations } from '../store/migrate.ts';
import { MIGRATIONS_DIR } from '../store/open-database.ts';
import { startPlanning } from '../runtime.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './cli-io.ts';
import { createTerminalDelivery } from './terminal-delivery.ts';

const POLL_MS = 500;

/**
 * `work`: finishes CLI plans left unfinished (a killed `plan` process, say) and exits when none
 * is queued or running. Sections the dead process already printed are not printed again.
 */
export async function runWorkCommand(ctx: CliContext): Promise<number> {
  const runtime = await ctx.runtime();
  const delivery = createTerminalDelivery({
    stdout: ctx.io.stdout,
    stderr: ctx.io.stderr,
    quiet: false,
    printed: new Set(),
  });
  const planning = await startPlanning(runtime, { queues: ['plan-run-local'], deliveries: { cli: delivery } });
  try {
    let unfinished = await runtime.store.countUnfinished('cli');
    ctx.io.stderr.write(`${unfinished} unfinished plan revision(s)\n`);
    while (unfinished > 0) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      unfinished = await runtime.store.countUnfinished('cli');
    }
    return EXIT.ok;
  } finally {
    await planning.stop({ graceful: true, timeoutMs: 5_000 });
  }
}

/** `migrate`: applies pending migrations (start-up does the same) and says which. */
export async function runMigrateCommand(ctx: CliContext): Promise<number> {
  const runtime = await ctx.runtime();
  const applied = await migrate(runtime.db, await readMigrations(MIGRATIONS_DIR));
  ctx.io.stdout.write(applied.length === 0 ? 'The database is up to date.\n' : `Applied: ${applied.join(', ')}\n`);
  return EXIT.ok;
}
