import type { QueueSample } from '../observability/scrape-gauges.ts';
import type { Database } from '../store/database.ts';

/*
 * Every statement we run on pg-boss's own tables, outside its API: they rely on its private
 * `job` table (columns, types, states), which a pg-boss upgrade may change without notice.
 * test/integration/pg-boss-internals.test.ts pins what they rely on: run it on every upgrade.
 */

/** The schema pg-boss keeps its tables in, beside the plans' schema. */
export function bossSchema(db: Database): string {
  return db.schema === 'public' ? 'pgboss' : `${db.schema}_boss`;
}

/** The hand-backs a job has had, kept in its data (pg-boss keeps data when it fails a job back). */
const HAND_BACKS = `COALESCE((data->>'handBacks')::int, 0)`;

/** Reads and updates of the job table of the pg-boss beside `db`'s schema, for hand-backs and queue metrics. */
export function bossJobTable(db: Database) {
  const job = `${bossSchema(db)}.job`;
  return {
    /** Gives the jobs still active one more attempt, unless handed back `maxHandBacks` times already. */
    async keepAttempt(ids: readonly string[], maxHandBacks: number): Promise<void> {
      await db.query(
        `UPDATE ${job} SET retry_limit = retry_limit + 1
         WHERE id = ANY($1::uuid[]) AND state = 'active' AND ${HAND_BACKS} < $2`,
        [ids, maxHandBacks],
      );
    },

    /**
     * Counts a hand-back on the jobs pg-boss failed back to the queue (state `retry`) and makes them
     * due at once, unless handed back `maxHandBacks` times already; returns how many went back.
     */
    async countHandBack(ids: readonly string[], maxHandBacks: number): Promise<number> {
      const rows = await db.query<{ id: string }>(
        `UPDATE ${job}
         SET start_after = CASE WHEN ${HAND_BACKS} < $2 THEN now() ELSE start_after END,
             data = jsonb_set(data, '{handBacks}', to_jsonb(${HAND_BACKS} + 1))
         WHERE id = ANY($1::uuid[]) AND state = 'retry' RETURNING id`,
        [ids, maxHandBacks],
      );
      return rows.length;
    },

    /** Jobs waiting and running per queue, and the oldest waiting job's age; every queue appears. */
    async queueStats(queues: readonly string[]): Promise<QueueSample[]> {
      const rows = await db.query<{ name: string; queued: string; active: string; oldest: number | string | null }>(
        `SELECT name,
                count(*) FILTER (WHERE state IN ('created', 'retry')) AS queued,
                count(*) FILTER (WHERE state = 'active') AS active,
                extract(epoch FROM now() - min(created_on) FILTER (WHERE state IN ('created', 'retry'))) AS oldest
         FROM ${job} WHERE name = ANY($1::text[]) AND state IN ('created', 'retry', 'active')
         GROUP BY name`,
        [queues],
      );
      return queues.map((queue) => {
        const row = rows.find((candidate) => candidate.name === queue);
        return {
          queue,
          queued: Number(row?.queued ?? 0),
          active: Number(row?.active ?? 0),
          oldestQueuedSeconds: Math.max(0, Number(row?.oldest ?? 0)),
        };
      });
    },
  };
}
