import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';
import { createPlanner } from '../../src/core/planner.ts';
import { createModelClient } from '../../src/llm/create-model-client.ts';
import { costOf, DEFAULT_PRICES, findPrice } from '../../src/llm/pricing.ts';
import { createLogger } from '../../src/logger.ts';
import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import { createPlanStore, type PlanStore } from '../../src/store/plan-store.ts';
import type { FakeFault, FakeModelServer, FakeReply } from '../fakes/fake-model-types.ts';
import { classifyAsk, createPlanWriter } from '../fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../helpers/model-harness.ts';
import { createRecordingDelivery } from '../helpers/recording-delivery.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/test-database.ts';
import {
  createPlanQueue,
  isQuestionJob,
  isSubmissionJob,
  PLAN_QUEUES,
  type PlanQueue,
} from '../../src/plans/plan-queue.ts';
import { createPlanService, type PlanService } from '../../src/plans/plan-service.ts';
import { runPlanJob } from '../../src/plans/plan-job.ts';
import { abandonPlanJob } from '../../src/plans/plan-job-failure.ts';
import { samplePlanRequest } from '../helpers/plan-fixtures.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';

let prompts: PromptLibrary;
beforeAll(async () => {
  prompts = await loadTestPrompts();
});

// The re-run test reads what changed from these two.
const request = samplePlanRequest({ callsPerSecond: 20, dataVolume: '1 GB/day' });

interface Harness {
  readonly config: Config;
  readonly store: PlanStore;
  readonly queue: PlanQueue;
  readonly service: PlanService;
  readonly model: FakeModelServer;
  readonly delivery: ReturnType<typeof createRecordingDelivery>;
}

const opened: { test?: TestDatabase; queue?: PlanQueue; model?: FakeModelServer } = {};
afterEach(async () => {
  await opened.queue?.stop({ graceful: false, timeoutMs: 1000 });
  await opened.model?.close();
  await opened.test?.drop();
});

async function harness(
  backend: (typeof BACKENDS)[number],
  env: Record<string, string> = {},
  deliveryOptions: { beginDelayMs?: number; beginError?: Error } = {},
  modelOptions: { firstTokenLatencyMs?: number } = {},
): Promise<Harness> {
  const model = await startFake('anthropic', { respond: createPlanWriter(prompts), ...modelOptions });
  const test = await openTestDatabase(backend);
  const config = loadConfig({
    ...fakeEnv('anthropic', model),
    LLM_RETRY_BASE_MS: '10',
    PLAN_JOB_POLL_SECONDS: '0.5',
    PLAN_JOB_RETRY_DELAY_SECONDS: '1',
    PLAN_JOB_SUPERVISE_SECONDS: '2',
    ...env,
  });
  const logger = createLogger({ level: 'silent', pretty: false });
  const store = createPlanStore(test.db);
  const queue = await createPlanQueue(test.db, config.jobs, logger);
  Object.assign(opened, { test, queue, model });
  const planner = createPlanner({ prompts, model: createModelClient(config.llm, 'claude-sonnet-4-6') });
  const delivery = createRecordingDelivery({ ordered: false, ...deliveryOptions });
  const deps = { store, planner, deliveries: { slack: delivery }, logger };
  await queue.work(PLAN_QUEUES.chat, (job) => runPlanJob(deps, job));
  await queue.onAbandoned(async (job) =>
    isQuestionJob(job) || isSubmissionJob(job) ? undefined : abandonPlanJob(deps, job),
  );
  const service = createPlanService({
    db: test.db,
    store,
    queue,
    prompts,
    model: { provider: 'anthropic', model: 'claude-sonnet-4-6' },
    strategy: 'parallel',
  });
  return { config, store, queue, service, model, delivery };
}

async function settled(store: PlanStore, workspaceId: string, revisionId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const revision = await store.getRevisionById(workspaceId, revisionId);
    if (revision?.status === 'done' || revision?.status === 'failed') return revision;
    if (Date.now() > deadline) throw new Error(`revision still ${revision?.status ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fixed usage per answer; the first section call after the skeleton gets `fault`. */
function failFirstSectionCall(h: Harness, fault: FakeFault, usage: Omit<FakeReply, 'text'>): void {
  const write = createPlanWriter(prompts);
  let faulted = false;
  h.model.setResponder(async (asked) => {
    if (!faulted && classifyAsk(prompts, asked).kind === 'skeleton') {
      faulted = true;
      h.model.enqueueFaults(fault);
    }
    return { ...(await write(asked)), ...usage };
  });
}

const submission = (key: string, workspaceId = 'T-ACME') => ({
  workspaceId,
  platform: 'slack' as const,
  requestedBy: 'U123',
  idempotencyKey: key,
  channelId: 'C1',
});

describe.each(BACKENDS)('plan jobs on %s', (backend) => {
  it('runs a submitted plan to the end, storing before delivering every section once', async () => {
    const h = await harness(backend);
    const { revision } = await h.service.submit(request, submission('slack:V1'));
    const done = await settled(h.store, 'T-ACME', revision.id);
    expect(done.status).toBe('done');
    expect(done.sections.map((section) => section.key)).toEqual([
      'architecture',
      'specification',
      'security',
      'implementation',
      'deployment',
      'maintenance',
      'code_quality',
    ]);
    expect(done.sections.map((section) => section.messageRef)).toEqual(
      done.sections.map((section) => ({
        platform: 'slack',
        v: 1,
        channel: 'C-RECORDED',
        ts: `section-${section.key}`,
      })),
    );
    expect(done.messageRef).toEqual({ platform: 'slack', v: 1, channel: 'C-RECORDED', ts: `parent-${revision.id}` });
    expect(done.usage.outputTokens).toBeGreaterThan(0);
    expect(done.skeleton).toContain('OAuth 2.0');
    const sections = h.delivery.log.filter((entry) => entry.kind === 'section').map((entry) => entry.key);
    expect(sections.toSorted()).toEqual(done.sections.map((section) => section.key).toSorted());
    expect(h.delivery.log.at(-1)?.kind).toBe('finish');
    expect(h.delivery.finished[0]?.status).toBe('done');
  });

  it('asks the model while the parent is still being posted, and delivers sections only after it', async () => {
    const h = await harness(backend, {}, { beginDelayMs: 1500 });
    const { revision } = await h.service.submit(request, submission('slack:V-slow'));
    await expect.poll(() => h.model.requests.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(h.delivery.log.filter((entry) => entry.kind === 'begin')).toHaveLength(0);
    const done = await settled(h.store, 'T-ACME', revision.id);
    expect(done.status).toBe('done');
    expect(h.delivery.log.map((entry) => entry.kind)).toEqual(['begin', ...Array<string>(7).fill('section'), 'finish']);
  });

  it('stops the model and fails the plan with the platform error when the parent cannot be posted', async () => {
    const h = await harness(
      backend,
      {},
      { beginDelayMs: 300, beginError: new AppError('INTERNAL', 'channel is archived') },
      { firstTokenLatencyMs: 1500 },
    );
    const { revision } = await h.service.submit(request, submission('slack:V-broken'));
    const failed = await settled(h.store, 'T-ACME', revision.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'INTERNAL', sections: [] });
    expect(h.delivery.log.map((entry) => entry.kind)).toEqual(['fail']);
    // The skeleton was under way and was cut off; the seven sections were never asked for.
    expect(h.model.requests).toHaveLength(1);
  });

  it('makes one plan of a double submit', async () => {
    const h = await harness(backend);
    const [first, second] = await Promise.all([
      h.service.submit(request, submission('slack:V2')),
      h.service.submit(request, submission('slack:V2')),
    ]);
    expect(second.revision.id).toBe(first.revision.id);
    expect([first.created, second.created].toSorted()).toEqual([false, true]);
    await settled(h.store, 'T-ACME', first.revision.id);
    expect(await h.store.listPlans('T-ACME', { limit: 10 })).toHaveLength(1);
    expect(h.model.requests).toHaveLength(8);
  });

  it('retries a plan whose model calls keep failing, then succeeds', async () => {
    const h = await harness(backend, { LLM_MAX_ATTEMPTS: '1' });
    h.model.enqueueFaults({ kind: 'overloaded' });
    const { revision } = await h.service.submit(request, submission('slack:V3'));
    const done = await settled(h.store, 'T-ACME', revision.id);
    expect(done.status).toBe('done');
    expect(done.attempts).toBe(2);
  });

  it('records what every completed model call cost: across attempts and for the change summary', async () => {
    const h = await harness(backend, { LLM_MAX_ATTEMPTS: '1' });
    const perCall = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
    // The first section call after the skeleton is overloaded: the other six are written and
    // paid for in attempt 1, the seventh in attempt 2.
    failFirstSectionCall(h, { kind: 'overloaded' }, perCall);
    const costPerCall = costOf(findPrice(DEFAULT_PRICES, 'claude-sonnet-4-6'), perCall);
    const { revision } = await h.service.submit(request, submission('slack:V-COST'));
    const done = await settled(h.store, 'T-ACME', revision.id);
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    const paid = h.model.requests.length - 1;
    expect(paid).toBeGreaterThanOrEqual(8);
    expect(done.usage).toEqual({
      inputTokens: 1000 * paid,
      outputTokens: 100 * paid,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(done.costUsd).toBeCloseTo(costPerCall * paid, 6);

    const before = h.model.requests.length;
    const rerun = await h.service.rerun({
      workspaceId: 'T-ACME',
      planNumber: 1,
      changes: { callsPerSecond: '200' },
      requestedBy: 'U999',
      idempotencyKey: 'slack:V-COST-2',
      language: 'en',
    });
    const second = await settled(h.store, 'T-ACME', rerun?.revision.id ?? '');
    const asks = h.model.requests.slice(before).map((asked) => classifyAsk(prompts, asked).kind);
    expect(asks).toContain('summary');
    expect(second.usage.inputTokens).toBe(1000 * asks.length);
    expect(second.costUsd).toBeCloseTo(costPerCall * asks.length, 6);
  });

  it('counts the input of a call whose stream broke after the model had started answering', async () => {
    const h = await harness(backend, { LLM_MAX_ATTEMPTS: '1' });
    const perCall = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
    failFirstSectionCall(h, { kind: 'cut_stream', afterChunks: 2 }, perCall);
    const { revision } = await h.service.submit(request, submission('slack:V-CUT'));
    const done = await settled(h.store, 'T-ACME', revision.id);
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    const asked = h.model.requests.length;
    // Every call's input was read, the broken one's included; only whole answers report output.
    expect(done.usage).toEqual({
      inputTokens: 1000 * asked,
      outputTokens: 100 * (asked - 1),
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('fails a plan for good after the job retry limit, and says why', async () => {
    const h = await harness(backend, { LLM_MAX_ATTEMPTS: '1', PLAN_JOB_RETRY_LIMIT: '1' });
    h.model.enqueueFaults(...Array.from({ length: 4 }, () => ({ kind: 'overloaded' as const })));
    const { revision } = await h.service.submit(request, submission('slack:V4'));
    const failed = await settled(h.store, 'T-ACME', revision.id);
    expect(failed.status).toBe('failed');
    expect(failed.errorCode).toBe('MODEL_OVERLOADED');
    expect(failed.attempts).toBe(2);
    expect(h.delivery.log.filter((entry) => entry.kind === 'fail')).toEqual([
      expect.objectContaining({ revisionId: revision.id, code: 'MODEL_OVERLOADED' }),
    ]);
  });

  it('does not retry a rejected key', async () => {
    const h = await harness(backend);
    h.model.enqueueFaults({ kind: 'unauthorized' });
    const { revision } = await h.service.submit(request, submission('slack:V5'));
    const failed = await settled(h.store, 'T-ACME', revision.id);
    expect(failed.errorCode).toBe('MODEL_AUTH_FAILED');
    expect(failed.attempts).toBe(1);
    expect(h.model.requests).toHaveLength(1);
  });

  it('re-runs with new figures as revision 2, with what changed', async () => {
    const h = await harness(backend);
    const first = await h.service.submit(request, submission('slack:V6'));
    await settled(h.store, 'T-ACME', first.revision.id);
    const rerun = await h.service.rerun({
      workspaceId: 'T-ACME',
      planNumber: first.plan.number,
      changes: { callsPerSecond: '200', dataVolume: '10 GB/day' },
      requestedBy: 'U999',
      idempotencyKey: 'slack:V7',
      language: 'en',
    });
    expect(rerun?.revision.number).toBe(2);
    const done = await settled(h.store, 'T-ACME', rerun?.revision.id ?? '');
    expect(done.changes).toEqual([
      { field: 'callsPerSecond', from: '20', to: '200' },
      { field: 'dataVolume', from: '1 GB/day', to: '10 GB/day' },
    ]);
    expect(done.changeSummary).toContain('- **Architecture analysis**');
    const asks = h.model.requests.slice(8).map((recorded) => classifyAsk(prompts, recorded).kind);
    expect(asks.at(-1)).toBe('summary');
    expect(h.model.requests[8]?.messages[0]?.content).toContain('THIS IS REVISION 2 OF AN EXISTING PLAN');
    expect(h.model.requests[8]?.messages[0]?.content).toContain('- Peak calls per second: 20 → 200');
    const plan = await h.store.findPlan('T-ACME', first.plan.number);
    expect(plan?.latestRevision).toBe(2);
  });

  it('keeps a workspace from starving the others', async () => {
    const h = await harness(backend, { PLAN_WORKSPACE_CONCURRENCY: '1', PLAN_WORKER_CONCURRENCY: '3' });
    h.model.setTokensPerSecond(4000);
    const busy = await Promise.all(
      [1, 2, 3].map((n) => h.service.submit(request, submission(`slack:A${n}`, 'T-BUSY'))),
    );
    const quiet = await h.service.submit(request, submission('slack:B1', 'T-QUIET'));
    await Promise.all(
      [...busy, quiet].map((made) => settled(h.store, made.plan.workspaceId, made.revision.id, 60_000)),
    );
    const spans = [...busy, quiet].map((made) => {
      const entries = h.delivery.log.filter((entry) => entry.revisionId === made.revision.id);
      return { workspace: made.plan.workspaceId, start: entries[0]?.at ?? 0, end: entries.at(-1)?.at ?? 0 };
    });
    const busySpans = spans.filter((span) => span.workspace === 'T-BUSY').toSorted((a, b) => a.start - b.start);
    // Never two of the busy workspace's plans at once, although three workers were free.
    for (let index = 1; index < busySpans.length; index += 1) {
      expect(busySpans[index]?.start).toBeGreaterThanOrEqual(busySpans[index - 1]?.end ?? Infinity);
    }
    const quietSpan = spans.find((span) => span.workspace === 'T-QUIET');
    expect(quietSpan?.start).toBeLessThan(busySpans.at(-1)?.start ?? 0);
  }, 90_000);
});
