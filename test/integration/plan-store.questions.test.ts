import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/test-database.ts';
import { count, newPlan, useStore, workspace } from '../helpers/plan-store-fixture.ts';
import { createFeedbackStore } from '../../src/store/feedback-store.ts';

describe.each(BACKENDS)('plan store on %s: questions in threads', (backend) => {
  const fixture = useStore(backend);

  /** A plan whose thread is Slack's C200/ts. */
  async function threadedPlan(ws: string, ts: string) {
    const made = await fixture.create(newPlan(ws));
    await fixture.store.setThreadRef(ws, made.plan.id, { platform: 'slack', v: 1, channel: 'C200', ts });
    return made;
  }

  const question = (ws: string, made: Awaited<ReturnType<typeof threadedPlan>>, eventKey: string, text = 'why?') => ({
    workspaceId: ws,
    planId: made.plan.id,
    revisionId: made.revision.id,
    platform: 'slack' as const,
    askedBy: 'U1',
    question: text,
    eventKey,
  });

  it('finds a thread’s plan in its own workspace only', async () => {
    const ws = workspace();
    const made = await threadedPlan(ws, '1700000000.000100');
    const thread = { platform: 'slack', channel: 'C200', threadTs: '1700000000.000100' } as const;
    expect((await fixture.store.findPlanByThread(ws, thread))?.id).toBe(made.plan.id);
    expect(await fixture.store.findPlanByThread(workspace(), thread)).toBeUndefined();
    expect(await fixture.store.findPlanByThread(ws, { ...thread, threadTs: '1700000000.000200' })).toBeUndefined();
  });

  it('asks once per event, keeps the answer with its usage, and gives later questions the earlier ones', async () => {
    const ws = workspace();
    const made = await threadedPlan(ws, '1700000001.000100');
    const { store } = fixture;
    const first = await fixture.db.transaction((tx) => store.addQuestion(tx, question(ws, made, 'slack:Ev1')));
    expect(
      await fixture.db.transaction((tx) => store.addQuestion(tx, question(ws, made, 'slack:Ev1'))),
    ).toBeUndefined();
    expect(first?.status).toBe('queued');
    if (first === undefined) throw new Error('no question');
    await store.startAnswer(ws, first.id);
    await store.setAnswerRef(ws, first.id, { platform: 'slack', v: 1, channel: 'C200', ts: '1700000001.000300' });
    const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
    await store.addAnswerUsage(ws, first.id, usage, 0.012);
    await store.finishAnswer(ws, first.id, { answer: 'Because.', citedSections: ['architecture'] });
    const stored = await store.getQuestion(ws, first.id);
    expect(stored).toMatchObject({
      status: 'done',
      answer: 'Because.',
      citedSections: ['architecture'],
      attempts: 1,
      usage,
      costUsd: 0.012,
      messageRef: { platform: 'slack', channel: 'C200', ts: '1700000001.000300' },
    });
    const second = await fixture.db.transaction((tx) => store.addQuestion(tx, question(ws, made, 'slack:Ev2', 'and?')));
    if (second === undefined) throw new Error('no question');
    expect((await store.earlierQuestions(ws, made.plan.id, second)).map((q) => q.question)).toEqual(['why?']);
    expect(await store.getQuestion(workspace(), first.id)).toBeUndefined();
  });

  it('takes a vote (with its comment) on the message showing a finished answer, in its own workspace only', async () => {
    const ws = workspace();
    const made = await threadedPlan(ws, '1700000002.000100');
    const { store } = fixture;
    const asked = await fixture.db.transaction((tx) => store.addQuestion(tx, question(ws, made, 'teams:Ev3')));
    if (asked === undefined) throw new Error('no question');
    const conversation = {
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversation: { id: 'a:chat' },
      bot: { id: '28:bot' },
    };
    await store.startAnswer(ws, asked.id);
    await store.setAnswerRef(ws, asked.id, { platform: 'teams', v: 1, conversation, activityId: '1760000000999' });
    const feedback = createFeedbackStore(fixture.db);
    const vote = { workspaceId: ws, messageId: '1760000000999', userId: 'u-ada', helpful: true, comment: 'Clear' };
    // Not finished yet: nothing to vote on.
    expect(await feedback.voteOnMessage(vote)).toBeUndefined();
    await store.finishAnswer(ws, asked.id, { answer: 'Because.', citedSections: [] });
    expect(await feedback.voteOnMessage(vote)).toBe('answer');
    expect(await feedback.voteOnMessage({ ...vote, helpful: false, comment: undefined })).toBe('answer');
    expect(await feedback.voteOnMessage({ ...vote, workspaceId: workspace() })).toBeUndefined();
    expect(await feedback.voteOnMessage({ ...vote, messageId: '1760000000998' })).toBeUndefined();
    const sql = 'SELECT count(*) AS n FROM answer_votes WHERE question_id = $1 AND NOT helpful AND comment IS NULL';
    expect(await count(fixture.db, sql, [asked.id])).toBe(1);
  });

  it('never stores a question about another workspace’s plan', async () => {
    const made = await threadedPlan(workspace(), '1700000002.000100');
    const other = workspace();
    const asked = await fixture.db.transaction((tx) =>
      fixture.store.addQuestion(tx, question(other, made, 'slack:Ev3')),
    );
    expect(asked).toBeUndefined();
  });
});
