import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/test-database.ts';
import { count, newPlan, result, section, useStore, workspace } from '../helpers/plan-store-fixture.ts';

describe.each(BACKENDS)('plan store on %s: a revision’s lifecycle', (backend) => {
  const fixture = useStore(backend);
  const started = async () => {
    const ws = workspace();
    const { plan, revision } = await fixture.create(newPlan(ws));
    const reread = async () => {
      const found = await fixture.store.getRevisionById(ws, revision.id);
      if (found === undefined) throw new Error('revision vanished');
      return found;
    };
    return { ws, plan, id: revision.id, reread };
  };

  it('markRunning counts attempts and keeps the first start time', async () => {
    const { ws, id, reread } = await started();
    expect(await reread()).toMatchObject({ status: 'queued', attempts: 0, startedAt: undefined });
    await fixture.store.markRunning(ws, id);
    const first = await reread();
    expect(first).toMatchObject({ status: 'running', attempts: 1 });
    expect(first.startedAt).toBeInstanceOf(Date);
    // Far enough apart that a second timestamp would differ at millisecond resolution.
    await sleep(25);
    await fixture.store.markRunning(ws, id);
    const second = await reread();
    expect(second).toMatchObject({ status: 'running', attempts: 2 });
    expect(second.startedAt?.getTime()).toBe(first.startedAt?.getTime());
  });

  it('saveSkeleton keeps the first skeleton, also against completeRevision', async () => {
    const { ws, id, reread } = await started();
    await fixture.store.saveSkeleton(ws, id, 'Decisions: REST, OAuth 2.0');
    await fixture.store.saveSkeleton(ws, id, 'Decisions: GraphQL');
    expect((await reread()).skeleton).toBe('Decisions: REST, OAuth 2.0');
    await fixture.store.completeRevision(ws, id, result({ skeleton: 'Decisions: SOAP' }));
    expect((await reread()).skeleton).toBe('Decisions: REST, OAuth 2.0');
    const other = await started();
    await fixture.store.completeRevision(other.ws, other.id, result({ skeleton: 'From the result' }));
    expect((await other.reread()).skeleton).toBe('From the result');
  });

  it('saveSection keeps the first version of a section', async () => {
    const { ws, id, reread } = await started();
    await fixture.store.saveSection(ws, id, section(1, 'First write'));
    await fixture.store.saveSection(ws, id, { ...section(1, 'Second write'), title: 'Other title', missingItems: [] });
    const { sections } = await reread();
    expect(sections).toEqual([
      {
        key: 'architecture',
        position: 1,
        title: 'Title 1',
        markdown: 'First write',
        missingItems: [{ id: 'm1', label: 'Rate limits' }],
        notInSpec: [],
        messageRef: undefined,
      },
    ]);
    expect(await count(fixture.db, 'SELECT count(*) AS n FROM plan_sections WHERE revision_id = $1', [id])).toBe(1);
  });

  it('stores message and thread references', async () => {
    const { ws, plan, id, reread } = await started();
    await fixture.store.saveSection(ws, id, section(1));
    await fixture.store.saveSection(ws, id, section(2));
    const slack = { platform: 'slack', v: 1, channel: 'C200' } as const;
    await fixture.store.setSectionMessageRef(ws, id, 'specification', { ...slack, ts: '1700000000.000200' });
    const placeholders = { architecture: '1700000000.000101', specification: '1700000000.000102' };
    await fixture.store.setRevisionMessageRef(ws, id, { ...slack, ts: '1700000000.000100', placeholders });
    await fixture.store.setThreadRef(ws, plan.id, { ...slack, ts: '1700000000.000100' });
    const revision = await reread();
    expect(revision.sections.map((saved) => saved.messageRef)).toEqual([
      undefined,
      { ...slack, ts: '1700000000.000200' },
    ]);
    expect(revision.messageRef).toEqual({ ...slack, ts: '1700000000.000100', placeholders });
    const stored = await fixture.store.findPlanById(ws, plan.id);
    expect(stored?.threadRef).toEqual({ ...slack, ts: '1700000000.000100' });
    expect(stored?.origin).toEqual(slack);
  });

  it('addUsage adds each call up, across attempts; completeRevision marks it done without adding', async () => {
    const { ws, id, reread } = await started();
    await fixture.store.markRunning(ws, id);
    expect(await reread()).toMatchObject({
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      costUsd: 0,
    });
    await fixture.store.addUsage(
      ws,
      id,
      { inputTokens: 1000, outputTokens: 2000, cacheReadTokens: 300, cacheWriteTokens: 40 },
      0.0123,
    );
    // A call of a later attempt (the first was handed back or failed) adds to it.
    await fixture.store.addUsage(
      ws,
      id,
      { inputTokens: 10, outputTokens: 20, cacheReadTokens: 3, cacheWriteTokens: 4 },
      0.0045,
    );
    const running = await reread();
    expect(running).toMatchObject({
      status: 'running',
      usage: { inputTokens: 1010, outputTokens: 2020, cacheReadTokens: 303, cacheWriteTokens: 44 },
      costUsd: 0.0168,
    });
    expect(typeof running.costUsd).toBe('number');
    // The run's own totals (result().usage, costUsd) are not added a second time.
    await fixture.store.completeRevision(ws, id, result());
    const done = await reread();
    expect(done).toMatchObject({
      status: 'done',
      errorCode: undefined,
      usage: { inputTokens: 1010, outputTokens: 2020, cacheReadTokens: 303, cacheWriteTokens: 44 },
      costUsd: 0.0168,
      durationMs: 1235,
      firstSectionMs: 250,
      figures: [{ label: 'Peak calls per second', value: '20' }],
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
    await fixture.store.completeRevision(
      ws,
      id,
      result({ durationMs: 99.4, timeToFirstSectionMs: undefined, figures: [] }),
    );
    expect(await reread()).toMatchObject({
      status: 'done',
      costUsd: 0.0168,
      durationMs: 99,
      firstSectionMs: undefined,
      figures: [],
    });
  });

  it('failRevision records the error but never overwrites a done revision', async () => {
    const failing = await started();
    await fixture.store.markRunning(failing.ws, failing.id);
    await fixture.store.failRevision(failing.ws, failing.id, 'MODEL_TIMEOUT');
    const failed = await failing.reread();
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'MODEL_TIMEOUT', attempts: 1 });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    // A later successful attempt clears the error.
    await fixture.store.completeRevision(failing.ws, failing.id, result());
    expect(await failing.reread()).toMatchObject({ status: 'done', errorCode: undefined });

    const done = await started();
    await fixture.store.addUsage(done.ws, done.id, result().usage, 0.0123);
    await fixture.store.completeRevision(done.ws, done.id, result());
    await fixture.store.failRevision(done.ws, done.id, 'DELIVERY_FAILED');
    expect(await done.reread()).toMatchObject({ status: 'done', errorCode: undefined, costUsd: 0.0123 });
  });

  it('saveChangeSummary stores the summary', async () => {
    const { ws, id, reread } = await started();
    expect((await reread()).changeSummary).toBeUndefined();
    await fixture.store.saveChangeSummary(ws, id, 'Peak load rose from 20 to 200 calls/s:\n- add a queue');
    expect((await reread()).changeSummary).toBe('Peak load rose from 20 to 200 calls/s:\n- add a queue');
  });

  it('countUnfinished counts queued and running revisions of one platform', async () => {
    const before = await fixture.store.countUnfinished('teams');
    const teams = (ws: string) => fixture.create({ ...newPlan(ws), platform: 'teams' });
    const queued = await teams(workspace());
    const running = await teams(workspace());
    const done = await teams(workspace());
    await fixture.store.markRunning(running.plan.workspaceId, running.revision.id);
    await fixture.store.completeRevision(done.plan.workspaceId, done.revision.id, result());
    expect(queued.revision.status).toBe('queued');
    expect(await fixture.store.countUnfinished('teams')).toBe(before + 2);
  });
});
