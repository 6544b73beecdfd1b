import { PlanLimitError } from '../errors.ts';
import { userMessage } from '../core/user-messages.ts';
import type { Language } from '../prompts/section-keys.ts';
import { QUESTION_TEXTS } from '../render/question-texts.ts';
import type { Database } from '../store/database.ts';
import type { PlanRecord } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';
import { idempotent } from '../store/plan-store.ts';
import type { NewQuestion, QuestionRecord, ThreadLocator } from '../store/questions.ts';
import type { PlanLimits } from './plan-limits.ts';
import type { PlanQueue } from './plan-queue.ts';

/** Questions are for a person to read in a thread: longer text is refused, not cut. */
export const MAX_QUESTION_CHARS = 2000;

/** A question as a surface hands it over: where it was asked rather than which plan it is about. */
export interface Question extends Pick<NewQuestion, 'workspaceId' | 'platform' | 'askedBy' | 'eventKey'> {
  /** Where it was asked: the thread decides the plan, within this workspace only. */
  readonly thread: ThreadLocator;
  /** The question, without the mention of the bot. */
  readonly text: string;
}

/** What became of a question; the surface says it in the thread. */
export type AskOutcome =
  | { readonly kind: 'queued'; readonly plan: PlanRecord; readonly question: QuestionRecord }
  /** The same event again (a platform retry): answered once already, or being answered. */
  | { readonly kind: 'repeated' }
  /** The thread is no plan's (of this workspace). */
  | { readonly kind: 'no-plan' }
  /** Only the mention, no question. */
  | { readonly kind: 'empty'; readonly plan: PlanRecord }
  | { readonly kind: 'too-long'; readonly plan: PlanRecord; readonly max: number }
  /** The question names a revision the plan does not have. */
  | { readonly kind: 'no-revision'; readonly plan: PlanRecord; readonly revision: number }
  /** The named (or latest) revision has no written sections yet. */
  | { readonly kind: 'not-written'; readonly plan: PlanRecord; readonly revision: number }
  | { readonly kind: 'limited'; readonly plan: PlanRecord; readonly error: PlanLimitError };

export interface QuestionService {
  ask(question: Question): Promise<AskOutcome>;
}

export interface QuestionServiceDeps {
  readonly db: Database;
  readonly store: PlanStore;
  readonly queue: PlanQueue;
  readonly limits?: PlanLimits | undefined;
  readonly onLimit?: ((error: PlanLimitError) => void) | undefined;
}

/** "revision 2", "rev. 2", "Revision 2", "r2": the revision a question names, if it names one. */
export function namedRevision(text: string): number | undefined {
  const match = /\b(?:revision|rev\.?|r)\s*#?(\d{1,4})\b/iu.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

async function revisionFor(deps: QuestionServiceDeps, plan: PlanRecord, text: string) {
  const named = namedRevision(text);
  const number = named ?? plan.latestRevision;
  if (named !== undefined && (named < 1 || named > plan.latestRevision)) {
    return { kind: 'no-revision' as const, plan, revision: named };
  }
  const revision = await deps.store.getRevision(plan.workspaceId, plan.number, number);
  if (revision === undefined) return { kind: 'no-revision' as const, plan, revision: number };
  // A question about a revision still being written is about the sections written so far.
  if (revision.sections.length === 0) return { kind: 'not-written' as const, plan, revision: number };
  return revision;
}

/**
 * Asking about a plan in its thread, the same for every surface: the thread maps to a plan of
 * this workspace or to nothing; the question counts toward the plan limits; question and answer
 * job are written in one transaction, keyed by the asking event.
 */
export function createQuestionService(deps: QuestionServiceDeps): QuestionService {
  return {
    async ask(input) {
      const { workspaceId } = input;
      const plan = await deps.store.findPlanByThread(workspaceId, input.thread);
      if (plan === undefined) return { kind: 'no-plan' };
      const text = input.text.trim();
      if (text === '') return { kind: 'empty', plan };
      if (text.length > MAX_QUESTION_CHARS) return { kind: 'too-long', plan, max: MAX_QUESTION_CHARS };
      const revision = await revisionFor(deps, plan, text);
      if ('kind' in revision) return revision;
      try {
        const question = await idempotent(
          deps.db,
          async (tx) => {
            if (deps.limits !== undefined) {
              await deps.limits.lock(tx, workspaceId);
              if (await deps.store.hasQuestionEvent(tx, workspaceId, input.eventKey)) return undefined;
              const limited = await deps.limits.check(tx, workspaceId, input.askedBy);
              if (limited !== undefined) throw limited;
            }
            const made = await deps.store.addQuestion(tx, {
              workspaceId,
              planId: plan.id,
              revisionId: revision.id,
              platform: input.platform,
              askedBy: input.askedBy,
              question: text,
              eventKey: input.eventKey,
            });
            if (made !== undefined) await deps.queue.sendSide('question', tx, { workspaceId, questionId: made.id });
            return made;
          },
          () => Promise.resolve(undefined),
        );
        if (question === undefined) return { kind: 'repeated' };
        deps.queue.wake('question');
        return { kind: 'queued', plan, question };
      } catch (error) {
        if (!(error instanceof PlanLimitError)) throw error;
        deps.onLimit?.(error);
        return { kind: 'limited', plan, error };
      }
    },
  };
}

/**
 * What the thread is told when a question gets no answer (the same on every surface); undefined
 * when the answer comes (or came). `mention`: how the bot is mentioned on the surface.
 */
export function askOutcomeText(outcome: AskOutcome, language: Language, mention: string): string | undefined {
  const t = QUESTION_TEXTS[language];
  switch (outcome.kind) {
    case 'queued':
    case 'repeated':
      return undefined;
    case 'no-plan':
      return t.noPlan(mention);
    case 'empty':
      return t.empty(outcome.plan.number, mention);
    case 'too-long':
      return t.tooLong(outcome.max);
    case 'no-revision':
      return t.noRevision(outcome.plan.number, outcome.revision, outcome.plan.latestRevision);
    case 'not-written':
      return t.notWritten(outcome.plan.number, outcome.revision);
    case 'limited':
      return userMessage(outcome.error, language);
  }
}
