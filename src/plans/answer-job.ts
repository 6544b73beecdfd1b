import { AppError, asAppError } from '../errors.ts';
import type { Planner } from '../core/planner.ts';
import type { QuestionContext } from '../core/plan-answer.ts';
import { questionLanguage } from '../core/question-language.ts';
import { userMessage } from '../core/user-messages.ts';
import { withLogContext } from '../log-context.ts';
import type { Logger } from '../logger.ts';
import { reviewLine } from '../render/review-texts.ts';
import type { Platform, PlanRecord, RevisionWithSections } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { QuestionRecord } from '../store/questions.ts';
import type { AnswerPoster, AnswerStream, AnswerTarget } from './answer-poster.ts';
import type { QuestionJob } from './plan-queue.ts';

/** What an answer job runs with. */
export interface AnswerJobDeps {
  readonly store: PlanStore;
  readonly planner: Planner;
  readonly posters: Readonly<Partial<Record<Platform, AnswerPoster>>>;
  readonly logger: Logger;
  /** Told how each answer ended (metrics); must not throw. */
  readonly observer?: ((outcome: 'done' | 'failed') => void) | undefined;
}

interface Loaded {
  readonly question: QuestionRecord;
  readonly plan: PlanRecord;
  readonly revision: RevisionWithSections;
}

/** Where the answer goes, in the language of the question (the answer's, and of its texts). */
function targetOf({ question, plan, revision }: Loaded): AnswerTarget {
  const language = questionLanguage(question.question, revision.request.language);
  return { plan, question, revision: revision.number, language };
}

async function load(deps: AnswerJobDeps, job: QuestionJob): Promise<Loaded | undefined> {
  const { workspaceId, questionId } = job.data;
  const question = await deps.store.getQuestion(workspaceId, questionId);
  if (question === undefined || question.status === 'done' || question.status === 'failed') return undefined;
  const plan = await deps.store.findPlanById(workspaceId, question.planId);
  const revision = await deps.store.getRevisionById(workspaceId, question.revisionId);
  return plan === undefined || revision === undefined ? undefined : { question, plan, revision };
}

/** The plan as the answer sees it: inputs, sections, decisions, the thread's earlier answers, spec facts. */
async function contextOf(
  deps: AnswerJobDeps,
  { question, plan, revision }: Loaded,
  language: AnswerTarget['language'],
): Promise<QuestionContext> {
  const { workspaceId } = plan;
  const decisions = await deps.store.decisionsOf(workspaceId, revision.id);
  const earlier = await deps.store.earlierQuestions(workspaceId, plan.id, question);
  return {
    request: revision.request,
    revision: revision.number,
    sections: revision.sections.map((section) => ({
      key: section.key,
      number: section.position,
      title: section.title,
      markdown: section.markdown,
    })),
    skeleton: revision.skeleton,
    review: decisions.map((decision) => reviewLine(decision, language, (id) => id)),
    history: earlier.map((entry) => ({ question: entry.question, answer: entry.answer ?? '' })),
    specFacts: revision.specFacts,
    question: question.question,
    language,
  };
}

/**
 * One answer to a question in a plan's thread, as a durable job: the answer message is recorded
 * before text goes into it, so a retried attempt (a restart mid-answer, a model failure) finishes
 * in that same message; an answered question is never answered again.
 */
export function runAnswerJob(deps: AnswerJobDeps, job: QuestionJob): Promise<void> {
  const { workspaceId, questionId } = job.data;
  const fields = { jobId: job.id, questionId, workspaceId, attempt: job.retryCount + 1 };
  return withLogContext(fields, async () => {
    const loaded = await load(deps, job);
    if (loaded === undefined) {
      deps.logger.info('answer job has nothing to do');
      return;
    }
    const poster = deps.posters[loaded.plan.platform];
    if (poster === undefined) throw new AppError('INTERNAL', `no answer poster for ${loaded.plan.platform}`);
    await answer(deps, job, loaded, poster);
  });
}

async function answer(deps: AnswerJobDeps, job: QuestionJob, loaded: Loaded, poster: AnswerPoster): Promise<void> {
  const { store } = deps;
  const { question, plan, revision } = loaded;
  const { workspaceId } = plan;
  await store.startAnswer(workspaceId, question.id);
  const target = targetOf(loaded);
  const stream = await poster.open(target, question.messageRef, (ref) =>
    store.setAnswerRef(workspaceId, question.id, ref),
  );
  try {
    const written = await deps.planner.answer(await contextOf(deps, loaded, target.language), {
      signal: job.signal,
      onText: (delta) => stream.append(delta),
      onRetry: () => stream.restart(),
      onFailedAttemptUsage: (spent) =>
        void store.addAnswerUsage(workspaceId, question.id, spent.usage, spent.costUsd).catch(() => undefined),
    });
    await store.addAnswerUsage(workspaceId, question.id, written.usage, written.costUsd);
    const sources = revision.sections
      .filter((section) => written.cited.includes(section.key))
      .map((section) => ({ number: section.position, title: section.title }));
    await stream.finish({ text: written.text, sources });
    await store.finishAnswer(workspaceId, question.id, { answer: written.text, citedSections: written.cited });
    deps.observer?.('done');
    deps.logger.info({ costUsd: written.costUsd, cited: written.cited }, 'question answered');
  } catch (error) {
    await failed(deps, job, target, stream, asAppError(error));
  }
}

/** Retried while attempts are left (in the same message), else the message says why it failed. */
async function failed(
  deps: AnswerJobDeps,
  job: QuestionJob,
  target: AnswerTarget,
  stream: AnswerStream,
  error: AppError,
) {
  const lastAttempt = job.retryCount >= job.retryLimit;
  if (job.signal.aborted || (error.retryable && !lastAttempt)) {
    deps.logger.warn({ err: error, code: error.code }, 'answer attempt failed; it is tried again');
    throw error;
  }
  deps.logger.error({ err: error, code: error.code, requestId: error.requestId }, 'answer failed');
  await deps.store.failAnswer(target.plan.workspaceId, target.question.id, error.code);
  deps.observer?.('failed');
  await stream.fail(userMessage(error, target.language));
}

/** A question job that ran out of attempts without finishing (its worker died each time). */
export function abandonAnswerJob(deps: AnswerJobDeps, job: QuestionJob): Promise<void> {
  const { workspaceId, questionId } = job.data;
  return withLogContext({ jobId: job.id, questionId, workspaceId }, async () => {
    const loaded = await load(deps, job);
    if (loaded === undefined) return;
    const error = new AppError('PLAN_INTERRUPTED', `answer job ${job.id} ran out of attempts`);
    deps.logger.error('answer job abandoned');
    await deps.store.failAnswer(workspaceId, questionId, error.code);
    const poster = deps.posters[loaded.plan.platform];
    const target = targetOf(loaded);
    const stream = await poster?.open(target, loaded.question.messageRef, () => Promise.resolve());
    await stream?.fail(userMessage(error, target.language));
  });
}
