import { describe, expect, it } from 'vitest';
import { submissionJob } from '../helpers/submission-job.ts';
import { runSubmissionJob } from '../../src/plans/submission-job.ts';
import type { ConversationRef } from '../../src/store/message-refs.ts';
import { samplePlanRequest } from '../helpers/plan-fixtures.ts';
import { createRecordingDelivery } from '../helpers/recording-delivery.ts';
import { BACKENDS } from '../helpers/test-database.ts';
import { usePlanService } from '../helpers/plan-service-fixture.ts';

// A plan taken at the door (PlanService.accept) becomes a plan in a worker: once per key, and a
// limit reached meanwhile is told to the requester where they asked.
const openService = usePlanService();

const ORIGIN: ConversationRef = { platform: 'slack', v: 1, channel: 'C0DOOR' };

describe.each(BACKENDS)('submissions taken at the door, on %s', (backend) => {
  async function setUp() {
    const { service, store, logger } = await openService(backend, { userPerHour: 1 });
    const delivery = createRecordingDelivery({ ordered: false });
    return { store, service, refusals: delivery.refusals, deps: { service, deliveries: { slack: delivery }, logger } };
  }

  const job = (key: string, user = 'U0ANN') =>
    submissionJob({
      workspaceId: 'T0DOOR',
      platform: 'slack',
      requestedBy: user,
      idempotencyKey: key,
      origin: ORIGIN,
      request: samplePlanRequest(),
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

  it('takes a repeated form of a plan already made quietly, also at the limit, and makes no second plan', async () => {
    const { store, service, refusals, deps } = await setUp();
    const acceptance = { workspaceId: 'T0DOOR', platform: 'slack' as const, requestedBy: 'U0ANN', origin: ORIGIN };
    const burst = Array.from({ length: 5 }, () =>
      service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'slack:V5' }),
    );
    await Promise.all(burst);
    await runSubmissionJob(deps, job('slack:V5'));
    // The limit (1 per hour) is reached now; the same key again is no new plan, so it is not refused.
    await expect(
      service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'slack:V5' }),
    ).resolves.toBeUndefined();
    await runSubmissionJob(deps, job('slack:V5'));
    await expect(service.accept(samplePlanRequest(), { ...acceptance, idempotencyKey: 'slack:V6' })).rejects.toThrow(
      /user limit of 1 reached/u,
    );
    expect((await store.listPlans('T0DOOR', { limit: 10 })).map((plan) => plan.number)).toEqual([1]);
    expect(refusals).toEqual([]);
  });
});
