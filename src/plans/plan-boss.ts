import { PgBoss } from 'pg-boss';
import type { PlanQueueSettings } from './queue-settings.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/database.ts';
import { bossSchema } from './pg-boss-internals.ts';

/** Where plan jobs go once they run out of attempts or their worker dies for good. */
export const DEAD_LETTER = 'plan-run-dead';

/**
 * Starts pg-boss in the plans' database (Postgres or PGlite) with the plan queues: exponential
 * backoff between attempts, a heartbeat so a dead worker's job is retried elsewhere, and the
 * dead letter queue for jobs out of attempts.
 */
export async function startPlanBoss(
  db: Database,
  jobs: PlanQueueSettings,
  logger: Logger,
  queues: readonly string[],
): Promise<PgBoss> {
  const boss = new PgBoss({
    db: db.bossDb,
    backend: db.kind === 'pglite' ? 'pglite' : 'postgres',
    schema: bossSchema(db),
    superviseIntervalSeconds: jobs.superviseSeconds,
    monitorIntervalSeconds: Math.max(jobs.superviseSeconds, 10),
    registerInstance: false,
  });
  boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
  // Slow queries, queue backlogs, start-up retries: worth seeing, not worth failing for.
  boss.on('warning', (warning: unknown) => logger.warn({ warning }, 'job queue warning'));
  // Replicas starting together on a new database race to install pg-boss's schema, and the loser
  // can fail with a duplicate key on pg_namespace; a second attempt finds it installed.
  await boss.start({ attempts: 4 });
  await boss.createQueue(DEAD_LETTER, { retryLimit: 0 });
  for (const name of queues) {
    await boss.createQueue(name, {
      retryLimit: jobs.retryLimit,
      retryDelay: jobs.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: jobs.retryDelaySeconds * 30,
      expireInSeconds: jobs.expireSeconds,
      heartbeatSeconds: jobs.heartbeatSeconds,
      deadLetter: DEAD_LETTER,
    });
  }
  return boss;
}
