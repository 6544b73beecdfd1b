import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createPlanLimits } from '../../src/plans/plan-limits.ts';
import { createPlanQueue, type PlanQueue, type SubmissionJob } from '../../src/plans/plan-queue.ts';
import { createPlanService } from '../../src/plans/plan-service.ts';
import { runSubmissionJob } from '../../src/plans/submission-job.ts';
import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import type { ConversationRef } from '../../src/store/message-refs.ts';
import { createPlanStore } from '../../src/store/plan-store.ts';
import { samplePlanRequest } from '../helpers/plan-fixtures.ts';
import { createRecordingDelivery } from '../helpers/recording-delivery.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/test-database.ts';

// A plan taken at the door (PlanService.accept) becomes a plan in a worker: once per key, and a
// limit reached meanwhile is told to the requester where they asked.
let prompts: PromptLibrary;
beforeAll(async () => {
  prompts = await loadTestPrompts();
});
const opened: { test?: TestDatabase; queue?: PlanQueue } = {};
afterEach(async () => {
  await opened.queue?.stop({ graceful: false, timeoutMs: 1000 });
  await opened.test?.drop();
});

const ORIGIN: ConversationRef = { platform: 'slack', v: 1, channel: 'C0DOOR' };

describe.each(BACKENDS)('submissions taken at the door, on %s', (backend) => {
  async function setUp() {
    const test = await openTestDatabase(backend);
    const config = loadConfig({ ANTHROPIC_API_KEY: 'unused', PLAN_LIMIT_USER_PER_HOUR: '1' });
    const logger = createLogger({ level: 'silent', pretty: false });
    const queue = await createPlanQueue(test.db, config.jobs, logger);
    Object.assign(opened, { test, queue });
    const store = createPlanStore(test.db);
    const service = createPlanService({
      db: test.db,
      store,
      queue,
      prompts,
      model: { provider: 'anthropic', model: 'claude-sonnet-4-6' },
      strategy: 'parallel',
      limits: createPlanLimits(config.limits),
    });
    const delivery = createRecordingDelivery({ ordered: false });
    return { store, service, refusals: delivery.refusals, deps: { service, deliveries: { slack: delivery }, logger } };
  }

  const job = (key: string, user = 'U0ANN'): SubmissionJob => ({
    id: `job-${key}`,
    queue: 'plan-submit',
    retryCount: 0,
    retryLimit: 3,
    handBacks: 0,
    signal: new AbortController().signal,
    data: {
      workspaceId: 'T0DOOR',
      platform: 'slack',
      requestedBy: user,
      idempotencyKey: key,
      origin: ORIGIN,
      request: samplePlanRequest(),
    },
  });

  it('creates the plan once, however often its job runs', async () => {
    const { store, deps } = await setUp();
    await runSubmissionJob(deps, job('slack:V1'));
    await runSubmissionJob(deps, job('slack:V1'));
    const plans = await store.listPlans('T0DOOR', { limit: 10 });
    expect(plans.map((plan) => [plan.number, plan.createdBy])).toEqual([[1, 'U0ANN']]);
  });

  it('tells the requester when a limit was reached meanwhile, and saves nothing', async () => {
    const { store, service, refusals, deps } = await setUp();
    // Both taken at the door: the limit (1 per hour) is read before either plan exists.
    const acceptance = { workspaceId: 'T0DOOR', platform: 'slack' as const, requestedBy: 'U0ANN', origin: ORIGIN };
    await service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'slack:V2' });
    await service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'slack:V3' });
    await runSubmissionJob(deps, job('slack:V2'));
    await runSubmissionJob(deps, job('slack:V3'));
    expect((await store.listPlans('T0DOOR', { limit: 10 })).length).toBe(1);
    expect(refusals.map((refusal) => [refusal.origin, refusal.user])).toEqual([[ORIGIN, 'U0ANN']]);
    expect(refusals[0]?.message).toMatch(/^You have reached your limit of 1 plans and questions per hour/u);
    // Now the door says it at once, before anything is stored.
    await expect(service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'slack:V4' })).rejects.toThrow();
  });
});
