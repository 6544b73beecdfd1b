import { describe, expect, it } from 'vitest';
import { userMessage } from '../../src/core/user-messages.ts';
import { PlanLimitError } from '../../src/errors.ts';
import { createFeedbackStore } from '../../src/store/feedback-store.ts';
import { BACKENDS } from '../helpers/test-database.ts';
import { usePlanService } from '../helpers/plan-service-fixture.ts';
import type { PlanLimitSettings } from '../../src/plans/plan-limits.ts';
import { samplePlanRequest } from '../helpers/plan-fixtures.ts';

const request = samplePlanRequest();
const openService = usePlanService();

async function harness(backend: (typeof BACKENDS)[number], limits: Partial<PlanLimitSettings>) {
  const opened = await openService(backend, limits);
  return { ...opened, feedback: createFeedbackStore(opened.db) };
}

const slackSubmission = (key: string, user = 'U1', workspaceId = 'T-ACME') => ({
  workspaceId,
  platform: 'slack' as const,
  requestedBy: user,
  idempotencyKey: key,
  channelId: 'C1',
});

describe.each(BACKENDS)('plan limits on %s', (backend) => {
  it('lets exactly the limit through when one person submits several at once', async () => {
    const { service } = await harness(backend, { userPerHour: 2, workspacePerHour: 100 });
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) => service.submit(request, slackSubmission(`slack:V${String(n)}`))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    expect(refused).toHaveLength(3);
    const error = refused[0];
    expect(error).toBeInstanceOf(PlanLimitError);
    if (!(error instanceof PlanLimitError)) return;
    expect(error.scope).toBe('user');
    // The oldest of the two plans leaves the hour first.
    const waitMinutes = (error.resetAt.getTime() - Date.now()) / 60_000;
    expect(waitMinutes).toBeGreaterThan(58);
    expect(waitMinutes).toBeLessThanOrEqual(60);
    expect(userMessage(error, 'de')).toMatch(
      /^Du hast dein Limit von 2 Plänen und Fragen pro Stunde erreicht\. Der nächste Plan ist in (59|60) min \(\d\d:\d\d UTC\) möglich/u,
    );
    // Others in the workspace, and the same person elsewhere, are not affected.
    await expect(service.submit(request, slackSubmission('slack:V6', 'U2'))).resolves.toMatchObject({ created: true });
    await expect(service.submit(request, slackSubmission('slack:V7', 'U1', 'T-OTHER'))).resolves.toMatchObject({
      created: true,
    });
    expect(await service.limitFor('T-ACME', 'U1')).toBeInstanceOf(PlanLimitError);
    expect(await service.limitFor('T-ACME', 'U2')).toBeUndefined();
  });

  it('answers a repeated key with its plan even at the limit, counts re-runs, and never limits the CLI', async () => {
    const { service } = await harness(backend, { userPerHour: 2, workspacePerHour: 3 });
    const first = await service.submit(request, slackSubmission('slack:V1'));
    await expect(service.submit(request, slackSubmission('slack:V1'))).resolves.toMatchObject({
      created: false,
      plan: { id: first.plan.id },
    });
    const rerun = {
      workspaceId: 'T-ACME',
      planNumber: first.plan.number,
      changes: { callsPerSecond: 300 },
      requestedBy: 'U1',
      language: 'en' as const,
    };
    await service.rerun({ ...rerun, idempotencyKey: 'slack:V2' });
    await expect(
      service.rerun({ ...rerun, changes: { callsPerSecond: 900 }, idempotencyKey: 'slack:V3' }),
    ).rejects.toBeInstanceOf(PlanLimitError);
    await expect(service.rerun({ ...rerun, idempotencyKey: 'slack:V2' })).resolves.toMatchObject({ created: false });
    await service.submit(request, slackSubmission('slack:V4', 'U2'));
    const workspace = await service.submit(request, slackSubmission('slack:V5', 'U3')).catch((error: unknown) => error);
    expect(workspace).toMatchObject({ code: 'PLAN_LIMIT_REACHED', scope: 'workspace', limit: 3 });
    for (const n of [1, 2, 3, 4]) {
      await expect(
        service.submit(request, {
          workspaceId: 'local',
          platform: 'cli',
          requestedBy: 'cli',
          idempotencyKey: `cli:${String(n)}`,
        }),
      ).resolves.toMatchObject({ created: true });
    }
  });

  it('limits a workspace per UTC day, by plans and by model cost, until the next midnight UTC', async () => {
    const { service, db } = await harness(backend, { workspacePerDay: 3, workspaceCostPerDayUsd: 5 });
    const first = await service.submit(request, slackSubmission('slack:V1', 'U1'));
    // $6 spent today: over the $5 budget.
    await db.query('UPDATE plan_revisions SET cost_usd = 6 WHERE id = $1', [first.revision.id]);
    const cost = await service.limitFor('T-ACME', 'U2');
    expect(cost).toMatchObject({ scope: 'workspace_cost', limit: 5 });
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(cost?.resetAt.toISOString()).toBe(midnight.toISOString());
    if (cost === undefined) throw new Error('expected the cost limit');
    expect(userMessage(cost, 'en')).toMatch(
      /^This workspace has used its model budget of \$5\.00 for today \(days in UTC\)\. You can start the next plan in (\d+ h )?\d+ min \(00:00 UTC\)/u,
    );
    await db.query('UPDATE plan_revisions SET cost_usd = 1 WHERE id = $1', [first.revision.id]);
    await service.submit(request, slackSubmission('slack:V2', 'U2'));
    await service.submit(request, slackSubmission('slack:V3', 'U3'));
    await expect(service.submit(request, slackSubmission('slack:V4', 'U4'))).rejects.toMatchObject({
      scope: 'workspace_daily',
      limit: 3,
    });
    // Yesterday's plans do not count.
    await db.query("UPDATE plan_revisions SET created_at = now() - interval '1 day' WHERE workspace_id = 'T-ACME'");
    expect(await service.limitFor('T-ACME', 'U4')).toBeUndefined();
  });

  it('switches a limit off with 0', async () => {
    const { service } = await harness(backend, { userPerHour: 0, workspacePerHour: 0 });
    for (const n of [1, 2, 3]) await service.submit(request, slackSubmission(`slack:V${String(n)}`));
    expect(await service.limitFor('T-ACME', 'U1')).toBeUndefined();
  });
});

describe.each(BACKENDS)('section feedback on %s', (backend) => {
  it('keeps one vote per person and section, per workspace, and tallies by prompt version', async () => {
    const { service, store, feedback } = await harness(backend, { userPerHour: 0, workspacePerHour: 0 });
    const { revision } = await service.submit(request, slackSubmission('slack:V1'));
    await store.saveSection('T-ACME', revision.id, {
      key: 'security',
      number: 3,
      title: 'Security',
      markdown: 'TLS everywhere',
      missingItems: [],
      notInSpec: [],
    });
    const vote = { workspaceId: 'T-ACME', revisionId: revision.id, sectionKey: 'security' };
    expect(await feedback.vote({ ...vote, userId: 'U1', helpful: true })).toEqual({ helpful: 1, notHelpful: 0 });
    expect(await feedback.vote({ ...vote, userId: 'U2', helpful: true })).toEqual({ helpful: 2, notHelpful: 0 });
    expect(await feedback.vote({ ...vote, userId: 'U1', helpful: false })).toEqual({ helpful: 1, notHelpful: 1 });
    // Another workspace cannot vote on (or read) this revision; unknown sections record nothing.
    expect(await feedback.vote({ ...vote, workspaceId: 'T-EVIL', userId: 'U9', helpful: false })).toBeUndefined();
    expect(await feedback.vote({ ...vote, sectionKey: 'deployment', userId: 'U1', helpful: true })).toBeUndefined();
    expect((await feedback.revisionTallies('T-EVIL', revision.id)).size).toBe(0);
    expect(await feedback.revisionTallies('T-ACME', revision.id)).toEqual(
      new Map([['security', { helpful: 1, notHelpful: 1 }]]),
    );
    const [version] = await feedback.promptFeedback('T-ACME', { limit: 3 });
    expect(version?.promptVersion).toBe(revision.prompt.version);
    expect(version?.total).toEqual({ helpful: 1, notHelpful: 1 });
    expect(await feedback.promptFeedback('T-EVIL', { limit: 3 })).toEqual([]);
  });
});
