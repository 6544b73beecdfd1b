import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as AC from 'adaptivecards';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import { samplePlanRequest } from '../../test/helpers/plan-fixtures.ts';
import { samplePlanRecord, sampleRevision } from '../../test/helpers/plan-records.ts';
import { loadTestPrompts } from '../../test/helpers/prompts.ts';
import type { PlanRecord, PlanSummary, RevisionRecord } from '../store/plan-records.ts';
import { cardBytes, MAX_CARD_BYTES, type AdaptiveCard } from './adaptive-card.ts';
import { planCard } from './plan-card.ts';
import { buildPlanFormCard, readPlanForm } from './plan-form-card.ts';
import { greetingCard, helpCard, listCard, noticeCard, workingCard } from './teams-cards.ts';
import { sectionCards } from './teams-markdown.ts';

/**
 * Parses a card with Microsoft's own Adaptive Cards object model, as Teams clients do: every
 * parse warning (unknown element, bad enum value …) and validation event (duplicate id …).
 */
function cardProblems(card: AdaptiveCard): string[] {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(JSON.parse(JSON.stringify(card)) as object, context);
  const problems = Array.from({ length: context.eventCount }, (_, index) => context.getEventAt(index).message);
  const validation = parsed.validateProperties();
  problems.push(...validation.validationEvents.map((event) => event.message));
  return problems;
}

function expectValid(card: AdaptiveCard): void {
  expect(cardProblems(card)).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
}

const REQUEST = samplePlanRequest({ variation: 'general' });
const PLAN: PlanRecord = samplePlanRecord({
  workspaceId: 'tenant',
  platform: 'teams',
  origin: undefined,
  createdBy: 'u1',
  latestRevision: 2,
});
const REVISION: RevisionRecord = sampleRevision({
  id: 'r2',
  workspaceId: 'tenant',
  number: 2,
  request: REQUEST,
  status: 'done',
  changes: [{ field: 'callsPerSecond', from: '5', to: '50' }],
  requestedBy: 'u1',
  idempotencyKey: 'teams:1',
});

let prompts: PromptLibrary;
beforeAll(async () => {
  prompts = await loadTestPrompts();
});

describe('Teams cards parse cleanly with the adaptivecards object model', () => {
  it('the form in both languages, with values and errors, as a re-run, as a dialog', () => {
    for (const language of ['en', 'de'] as const) {
      expectValid(buildPlanFormCard({ language, prompts }));
      expectValid(
        buildPlanFormCard({
          language,
          prompts,
          values: { ...REQUEST, callsPerSecond: '1,5' },
          errors: { targetApi: 'x', budget: 'y' },
          notice: 'n',
        }),
      );
      expectValid(buildPlanFormCard({ language, prompts, values: REQUEST, planNumber: 4, fromRevision: 2 }));
      expectValid(buildPlanFormCard({ language, prompts, submit: 'submit' }));
    }
  });

  it('the form speaks German for German users and keeps our limits', () => {
    const card = buildPlanFormCard({ language: 'de', prompts, values: { useCase: 'Zahlungen' } });
    const inputs = card.body.filter((element) => element.type.startsWith('Input.'));
    expect(inputs.map((input) => ('label' in input ? input.label : ''))).toContain('Ziel-API');
    expect(inputs.find((input) => 'id' in input && input.id === 'budget')).toMatchObject({
      maxLength: 500,
      isRequired: true,
    });
    expect(inputs.find((input) => 'id' in input && input.id === 'scaleNotes')).toMatchObject({ isRequired: false });
    const variation = inputs.find((input) => input.type === 'Input.ChoiceSet' && input.id === 'variation');
    expect(variation?.type === 'Input.ChoiceSet' ? variation.choices.map((choice) => choice.value) : []).toContain(
      'legacy',
    );
  });

  it('reads typed values back as the plan request parser expects them', () => {
    expect(readPlanForm({ action: 'plan.submit', callsPerSecond: 12.5, targetApi: 'x', planNumber: 3 })).toEqual({
      callsPerSecond: '12.5',
      targetApi: 'x',
    });
  });

  it('the plan card while writing, done (with re-run) and failed', () => {
    const writing = planCard(PLAN, REVISION, { kind: 'writing', done: 2, total: 7 });
    const done = planCard(PLAN, REVISION, { kind: 'done' });
    const failed = planCard(PLAN, REVISION, { kind: 'failed', message: 'The model is overloaded right now.' });
    for (const card of [writing, done, failed]) expectValid(card);
    expect(JSON.stringify(done)).toContain('✅ Done in 31.4 s · claude-sonnet-4-6 · 4,600 tokens · $0.0421');
    expect(JSON.stringify(done)).toContain('Peak calls per second 5 → 50');
    const data = { planNumber: 4, fromRevision: 2 };
    expect(done.actions).toEqual([
      expect.objectContaining({ type: 'Action.Execute', verb: 'plan.rerun', data }),
      expect.objectContaining({ type: 'Action.Execute', verb: 'plan.approve', data }),
      expect.objectContaining({ type: 'Action.Execute', verb: 'plan.requestChanges', data }),
    ]);
    // A finished revision without a decision is in review.
    expect(JSON.stringify(done)).toContain('"text":"In review"');
    expect(writing.actions).toBeUndefined();
  });

  it('list, help, greeting, notice and working cards', () => {
    const summary: PlanSummary = { ...PLAN, latestStatus: 'done', latestCostUsd: 0.04, latestReview: 'in_review' };
    const plans = Array.from({ length: 20 }, (_, index) => ({
      ...summary,
      number: index + 1,
      title: `${PLAN.title} ${'x'.repeat(150)}`,
    }));
    const list = listCard(plans, { language: 'en', search: undefined, userId: 'u1' });
    for (const card of [
      list,
      listCard([], { language: 'de', search: 'sap', userId: 'u1' }),
      helpCard('en'),
      greetingCard('de'),
      noticeCard('hi'),
      workingCard('en', 'T'),
    ]) {
      expectValid(card);
    }
    expect(JSON.stringify(list)).toContain('2 rev. · done · in review · 2025-05-01 · you');
  });
});

describe('Plan sections as Teams cards', () => {
  const dir = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'model-output');
  const fixtures = readdirSync(dir).filter((file) => file.endsWith('.md'));

  it.each(fixtures)('%s: every card valid and under the size limit', (file) => {
    const markdown = readFileSync(path.join(dir, file), 'utf8');
    const cards = sectionCards({
      title: 'Whole answer',
      number: 1,
      markdown,
      language: 'en',
      footer: 'Still missing: retries',
    });
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expectValid(card);
  });

  it('splits a long section on paragraph boundaries into continuation cards', () => {
    const paragraph = (n: number) => `Paragraph ${n}: ${'idempotent retries with jitter '.repeat(40).trim()}.`;
    const markdown = Array.from({ length: 60 }, (_, n) => paragraph(n)).join('\n\n');
    const cards = sectionCards({ title: 'Scale', number: 5, markdown, language: 'de' });
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards) expectValid(card);
    expect(JSON.stringify(cards[1])).toContain(`5. Scale (Fortsetzung 2/${cards.length})`);
    const texts = cards.flatMap((card) => card.body.slice(1)).map((element) => ('text' in element ? element.text : ''));
    // Every paragraph arrives whole, once, in order.
    expect(texts).toEqual(Array.from({ length: 60 }, (_, n) => paragraph(n)));
  });

  it('keeps multi-byte text under the byte limit', () => {
    const markdown = Array.from({ length: 400 }, () => '日本語のテキストとエモジ 🚀 を含む段落です。').join('\n\n');
    const cards = sectionCards({ title: 'Unicode', number: 2, markdown, language: 'en' });
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards) expectValid(card);
  });
});
