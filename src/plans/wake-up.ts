import { createHash } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/database.ts';

/**
 * Wake-ups across the service's processes (Postgres): NOTIFY on a channel of this schema, heard
 * by every process that runs workers. Best effort: a lost one costs a poll interval.
 */
export function createWakeUp<Kind extends string>(
  db: Database,
  logger: Logger,
  known: readonly Kind[],
  heard: (kind: Kind) => void,
) {
  const channel = `planner_jobs_${createHash('sha256').update(db.schema).digest('hex').slice(0, 16)}`;
  const kinds = new Set<string>(known);
  let stop: Promise<() => Promise<void>> | undefined;
  const sending = new Set<Kind>();
  const again = new Set<Kind>();
  /**
   * One NOTIFY per kind in flight: wake-ups asked for meanwhile (a burst of submissions) become
   * one more NOTIFY after it, which reaches the workers after every job committed before it.
   */
  const notify = (kind: Kind) => {
    if (db.kind !== 'postgres') return;
    if (sending.has(kind)) {
      again.add(kind);
      return;
    }
    sending.add(kind);
    db.query('SELECT pg_notify($1, $2)', [channel, kind])
      .catch((error: unknown) =>
        logger.debug({ err: error }, 'wake-up not sent; workers find the job at their next poll'),
      )
      .finally(() => {
        sending.delete(kind);
        if (again.delete(kind)) notify(kind);
      });
  };
  return {
    async listen() {
      if (db.listen === undefined) return;
      stop ??= db.listen(channel, (payload) => {
        if (kinds.has(payload)) heard(payload as Kind);
      });
      await stop.catch((error: unknown) => {
        stop = undefined;
        logger.warn({ err: error }, 'not listening for wake-ups; workers find new jobs at their polls');
      });
    },
    notify,
    async close() {
      const stopping = stop;
      stop = undefined;
      await (
        await stopping?.catch(() => undefined)
      )?.();
    },
  };
}
