import { afterEach } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createPlanLimits, type PlanLimitSettings } from '../../src/plans/plan-limits.ts';
import { createPlanQueue, type PlanQueue } from '../../src/plans/plan-queue.ts';
import { createPlanService } from '../../src/plans/plan-service.ts';
import { createPlanStore } from '../../src/store/plan-store.ts';
import { loadTestPrompts } from './prompts.ts';
import { openTestDatabase, type Backend, type TestDatabase } from './test-database.ts';

/**
 * The plan service on a fresh test database with its real job queue (no workers) and the given
 * plan limits (the others off), closed after each test of the file that calls usePlanService.
 */
export function usePlanService() {
  const opened: { test?: TestDatabase; queue?: PlanQueue } = {};
  afterEach(async () => {
    await opened.queue?.stop({ graceful: false, timeoutMs: 1000 });
    await opened.test?.drop();
  });
  return async (backend: Backend, limits: Partial<PlanLimitSettings>) => {
    const test = await openTestDatabase(backend);
    const logger = createLogger({ level: 'silent', pretty: false });
    const queue = await createPlanQueue(test.db, loadConfig({}).jobs, logger);
    Object.assign(opened, { test, queue });
    const store = createPlanStore(test.db);
    const service = createPlanService({
      db: test.db,
      store,
      queue,
      prompts: await loadTestPrompts(),
      model: { provider: 'anthropic', model: 'claude-sonnet-4-6' },
      strategy: 'parallel',
      limits: createPlanLimits({
        userPerHour: 0,
        workspacePerHour: 0,
        workspacePerDay: 0,
        workspaceCostPerDayUsd: 0,
        ...limits,
      }),
    });
    return { service, store, db: test.db, logger };
  };
}
