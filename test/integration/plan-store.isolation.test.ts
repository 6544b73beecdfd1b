import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/test-database.ts';
import { REQUEST, count, key, newPlan, result, section, useStore, workspace } from '../helpers/plan-store-fixture.ts';

/**
 * Workspace A must never read or change workspace B's plans, even with B's ids and numbers in
 * hand (numbers are small and guessable; ids leak through logs and message metadata).
 */
describe.each(BACKENDS)('plan store on %s: workspace isolation', (backend) => {
  const fixture = useStore(backend);
  const [a, b] = [workspace(), workspace()];
  const bRequest = { ...REQUEST, existingSystem: 'Zephyr mainframe', targetApi: 'Quokka Billing API' };
  let ids: { aPlan: string; bPlan: string; bRevision: string; bKey: string };

  /** Everything B can see of its own plans, to compare before and after A's calls. */
  const snapshotOfB = async () => ({
    plans: await Promise.all([1, 2].map((number) => fixture.store.findPlan(b, number))),
    revisions: await Promise.all([1, 2].map((number) => fixture.store.getRevision(b, number))),
    list: await fixture.store.listPlans(b, { limit: 20 }),
  });

  beforeAll(async () => {
    const aMade = await fixture.create(newPlan(a));
    await fixture.create(newPlan(b));
    const bMade = await fixture.create(newPlan(b, key(), bRequest));
    await fixture.store.saveSection(b, bMade.revision.id, section(1, 'B’s architecture'));
    ids = {
      aPlan: aMade.plan.id,
      bPlan: bMade.plan.id,
      bRevision: bMade.revision.id,
      bKey: bMade.revision.idempotencyKey,
    };
  });

  it('reads nothing of B through A', async () => {
    expect(await fixture.store.findPlan(a, 2)).toBeUndefined();
    expect(await fixture.store.findPlanById(a, ids.bPlan)).toBeUndefined();
    expect(await fixture.store.getRevision(a, 2)).toBeUndefined();
    expect(await fixture.store.getRevision(a, 2, 1)).toBeUndefined();
    expect(await fixture.store.getRevisionById(a, ids.bRevision)).toBeUndefined();
    expect(await fixture.store.listPlans(a, { search: 'quokka', limit: 20 })).toEqual([]);
    expect((await fixture.store.listPlans(a, { limit: 20 })).map((plan) => plan.id)).toEqual([ids.aPlan]);
    // Both have a plan 1: A gets its own.
    expect((await fixture.store.findPlan(a, 1))?.id).toBe(ids.aPlan);
    expect((await fixture.store.getRevision(a, 1))?.workspaceId).toBe(a);
    // Sanity check that B's data is there to be found.
    expect((await fixture.store.findPlanById(b, ids.bPlan))?.number).toBe(2);
    expect((await fixture.store.listPlans(b, { search: 'quokka', limit: 20 })).map((plan) => plan.number)).toEqual([2]);
  });

  it('changes nothing of B through A', async () => {
    const before = await snapshotOfB();
    const ref = { platform: 'slack', v: 1, channel: 'CEVIL', ts: '1.1' } as const;
    await fixture.store.markRunning(a, ids.bRevision);
    await fixture.store.saveSkeleton(a, ids.bRevision, 'A’s skeleton');
    await fixture.store.saveSection(a, ids.bRevision, section(2, 'A’s section'));
    await fixture.store.setSectionMessageRef(a, ids.bRevision, 'architecture', ref);
    await fixture.store.setRevisionMessageRef(a, ids.bRevision, ref);
    await fixture.store.setThreadRef(a, ids.bPlan, ref);
    await fixture.store.addUsage(a, ids.bRevision, result().usage, 9.99);
    await fixture.store.completeRevision(a, ids.bRevision, result({ skeleton: 'A’s skeleton' }));
    await fixture.store.failRevision(a, ids.bRevision, 'FROM_A');
    await fixture.store.saveChangeSummary(a, ids.bRevision, 'A’s summary');
    const rerun = await fixture.db.transaction((tx) => fixture.store.createRevision(tx, a, 2, newPlan(a)));
    // B's idempotency key, replayed from A against A's own plan: keys are per workspace, so this
    // is simply a new revision of A's plan, and nothing of B's comes back.
    const replay = await fixture.db.transaction((tx) => fixture.store.createRevision(tx, a, 1, newPlan(a, ids.bKey)));
    expect(rerun).toBeUndefined();
    expect(replay?.plan.workspaceId).toBe(a);
    expect(replay?.revision.request.targetApi).not.toBe('Quokka Billing API');

    const after = await snapshotOfB();
    expect(after).toEqual(before);
    // Spelled out, so a snapshot that missed a field still catches the obvious changes.
    expect(after.revisions[1]).toMatchObject({
      status: 'queued',
      attempts: 0,
      skeleton: undefined,
      messageRef: undefined,
      changeSummary: undefined,
      costUsd: 0,
      sections: [{ key: 'architecture', markdown: 'B’s architecture', messageRef: undefined }],
    });
    expect(after.plans[1]?.threadRef).toBeUndefined();
    const rows = 'SELECT count(*) AS n FROM plan_revisions WHERE workspace_id = $1';
    // A gained the one revision of its own re-run (the replayed key); B kept its two.
    expect([await count(fixture.db, rows, [a]), await count(fixture.db, rows, [b])]).toEqual([2, 2]);
    expect((await fixture.store.findPlan(a, 1))?.latestRevision).toBe(2);
  });

  it('createPlan in A with B’s idempotency key does not hand out B’s plan', async () => {
    const outcome = await fixture.create(newPlan(a, ids.bKey)).then(
      (made) => `${made.plan.workspaceId}:${made.revision.request.targetApi}`,
      () => 'rejected',
    );
    expect(outcome).not.toBe(`${b}:Quokka Billing API`);
  });
});
