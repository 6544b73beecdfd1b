import type { Config } from './config.ts';
import type { PlanLimitError } from './errors.ts';
import { createPlanner, type Planner } from './core/planner.ts';
import { createModelClient } from './llm/create-model-client.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './observability/metrics.ts';
import { modelCallObserver } from './observability/model-call-observer.ts';
import type { PlanDelivery } from './plans/plan-delivery.ts';
import { runPlanJob } from './plans/plan-job.ts';
import type { PlanJobDeps } from './plans/plan-job-deps.ts';
import { abandonAnswerJob, runAnswerJob, type AnswerJobDeps } from './plans/answer-job.ts';
import type { AnswerPoster } from './plans/answer-poster.ts';
import { abandonPlanJob } from './plans/plan-job-failure.ts';
import { createPlanLimits } from './plans/plan-limits.ts';
import { planMetricsObserver } from './plans/plan-metrics-observer.ts';
import {
  createPlanQueue,
  isQuestionJob,
  isSubmissionJob,
  type PlanQueue,
  type PlanQueueName,
} from './plans/plan-queue.ts';
import { abandonSubmissionJob, runSubmissionJob, type SubmissionJobDeps } from './plans/submission-job.ts';
import { createQuestionService, type QuestionService } from './plans/question-service.ts';
import { createSpecCatalog } from './grounding/spec-catalog.ts';
import { createPlanService, type PlanService } from './plans/plan-service.ts';
import { loadPromptLibrary, type PromptLibrary } from './prompts/load-prompts.ts';
import type { Database } from './store/database.ts';
import { createFeedbackStore, type FeedbackStore } from './store/feedback-store.ts';
import { openMigratedDatabase } from './store/open-database.ts';
import type { Platform } from './store/plan-records.ts';
import { createPlanStore, type PlanStore } from './store/plan-store.ts';

/*
 * The runtime assembly shared by both entry points: the service (src/service.ts) and the CLI
 * (src/cli.ts) open the same prompts, database, planner and workers here.
 */

/** Prompts and storage: enough to read saved plans. */
export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly prompts: PromptLibrary;
  readonly db: Database;
  readonly store: PlanStore;
  readonly feedback: FeedbackStore;
}

/** Adds the model, the job queue and the workers: enough to write plans. */
export interface Planning {
  readonly planner: Planner;
  readonly queue: PlanQueue;
  readonly service: PlanService;
  /** Questions in plans' threads (answered where answer posters were given). */
  readonly questions: QuestionService;
  stop(options: { graceful: boolean; timeoutMs: number }): Promise<void>;
}

/** Loads prompts (failing on a broken file) and opens the migrated database. */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const prompts = await loadPromptLibrary(config.promptsDir);
  const { db, applied } = await openMigratedDatabase(config.database, {
    onConnectionError: (error) =>
      logger.warn({ err: error }, 'Postgres ended a connection; the pool opens a new one when needed'),
  });
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  logger.info({ database: db.kind }, 'database ready');
  return { config, logger, prompts, db, store: createPlanStore(db), feedback: createFeedbackStore(db) };
}

export interface PlanningOptions {
  readonly queues: readonly PlanQueueName[];
  readonly deliveries: Readonly<Partial<Record<Platform, PlanDelivery>>>;
  /** Set: this process answers questions asked in plans' threads, through these. */
  readonly answerPosters?: Readonly<Partial<Record<Platform, AnswerPoster>>>;
  readonly metrics?: Metrics;
  /** False: jobs are only enqueued here (a web process); workers elsewhere run them. Default true. */
  readonly work?: boolean;
}

/** The job workers this process runs: plans, submissions, answers, and the dead letters of them all. */
async function startJobWorkers(
  queue: PlanQueue,
  options: Pick<PlanningOptions, 'queues' | 'answerPosters' | 'work'>,
  deps: { jobDeps: PlanJobDeps; answerDeps: AnswerJobDeps; submissionDeps: SubmissionJobDeps },
): Promise<void> {
  const { jobDeps, answerDeps, submissionDeps } = deps;
  for (const name of options.queues) await queue.work(name, (job) => runPlanJob(jobDeps, job));
  if (options.work !== false) {
    await queue.workSide('submission', (job) => runSubmissionJob(submissionDeps, job));
    await queue.onAbandoned((job) =>
      isQuestionJob(job)
        ? abandonAnswerJob(answerDeps, job)
        : isSubmissionJob(job)
          ? abandonSubmissionJob(submissionDeps, job)
          : abandonPlanJob(jobDeps, job),
    );
  }
  if (options.answerPosters !== undefined) await queue.workSide('question', (job) => runAnswerJob(answerDeps, job));
}

/** Builds the planner for the configured model (MISSING_API_KEY without a key) and starts workers. */
export async function startPlanning(runtime: Runtime, options: PlanningOptions): Promise<Planning> {
  const { config, logger, prompts, db, store } = runtime;
  const { metrics } = options;
  const defaultModel = prompts.plan(config.plan.defaultLanguage).defaults[config.llm.provider].model;
  const provider = config.llm.provider;
  const model = createModelClient(config.llm, defaultModel, {
    onFailure: (code) => metrics?.modelErrors.inc({ provider, code }),
    ...(metrics ? { onSuccess: modelCallObserver(metrics) } : {}),
    logger,
  });
  metrics?.observeBreaker(provider, () => model.breakerState());
  const planner = createPlanner({ prompts, model });
  const queue = await createPlanQueue(db, config.jobs, logger);
  metrics?.observeQueue(() => queue.stats());
  const jobDeps = {
    store,
    planner,
    deliveries: options.deliveries,
    logger,
    observer: metrics && planMetricsObserver(metrics),
    catalog: config.specCatalogDir === undefined ? undefined : createSpecCatalog(config.specCatalogDir),
  };
  const limits = createPlanLimits(config.limits);
  const onLimit = (error: PlanLimitError) => metrics?.limitRefusals.inc({ scope: error.scope });
  const service = createPlanService({
    db,
    store,
    queue,
    prompts,
    model: { provider: planner.provider, model: planner.model },
    strategy: config.plan.strategy,
    limits,
    onLimit,
    specFetch: config.specFetch,
  });
  const questions = createQuestionService({ db, store, queue, limits, onLimit });
  await startJobWorkers(queue, options, {
    jobDeps,
    answerDeps: {
      store,
      planner,
      posters: options.answerPosters ?? {},
      logger,
      observer: (outcome: 'done' | 'failed') => metrics?.answers.inc({ outcome }),
    },
    submissionDeps: { service, deliveries: options.deliveries, logger },
  });
  logger.info({ provider: planner.provider, model: planner.model, strategy: config.plan.strategy }, 'planner ready');
  return { planner, queue, service, questions, stop: (stopOptions) => queue.stop(stopOptions) };
}
