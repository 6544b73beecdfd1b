import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/test-database.ts';
import { newPlan, useStore, workspace } from '../helpers/plan-store-fixture.ts';

describe.each(BACKENDS)('plan store on %s: review decisions', (backend) => {
  const fixture = useStore(backend);

  it('keeps decisions per revision in order; the latest is the plan’s review state in list', async () => {
    const ws = workspace();
    const { store } = fixture;
    const approved = await fixture.create(newPlan(ws));
    const changed = await fixture.create(newPlan(ws));
    await fixture.create(newPlan(ws));
    await store.recordDecision(ws, approved.revision.id, {
      kind: 'changes_requested',
      reason: 'use webhooks',
      decidedBy: 'U1',
      platform: 'slack',
    });
    await store.recordDecision(ws, approved.revision.id, { kind: 'approved', decidedBy: 'U2', platform: 'teams' });
    await store.recordDecision(ws, changed.revision.id, {
      kind: 'changes_requested',
      reason: 'too expensive',
      decidedBy: 'U1',
      platform: 'slack',
    });
    const history = await store.decisionsOf(ws, approved.revision.id);
    expect(history.map((decision) => [decision.kind, decision.reason, decision.decidedBy, decision.platform])).toEqual([
      ['changes_requested', 'use webhooks', 'U1', 'slack'],
      ['approved', undefined, 'U2', 'teams'],
    ]);
    expect(history[0]?.decidedAt.getTime()).toBeLessThanOrEqual(history[1]?.decidedAt.getTime() ?? 0);
    const byState = async (review?: 'in_review' | 'approved' | 'changes_requested') =>
      (await store.listPlans(ws, { limit: 10, review })).map((plan) => [plan.number, plan.latestReview]);
    expect(await byState()).toEqual([
      [3, 'in_review'],
      [2, 'changes_requested'],
      [1, 'approved'],
    ]);
    expect(await byState('approved')).toEqual([[1, 'approved']]);
    expect(await byState('in_review')).toEqual([[3, 'in_review']]);
  });

  it('never records a decision on another workspace’s revision', async () => {
    const mine = await fixture.create(newPlan(workspace()));
    await expect(
      fixture.store.recordDecision(workspace(), mine.revision.id, {
        kind: 'approved',
        decidedBy: 'U1',
        platform: 'slack',
      }),
    ).rejects.toThrow('is not in workspace');
    expect(await fixture.store.decisionsOf(mine.revision.workspaceId, mine.revision.id)).toEqual([]);
  });
});
