import { AppError, PlanLimitError } from '../errors.ts';
import { planRequestSchema } from '../core/plan-request.ts';
import { userMessage } from '../core/user-messages.ts';
import { withLogContext } from '../log-context.ts';
import type { Logger } from '../logger.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import { conversationRefSchema } from '../store/message-refs.ts';
import type { Platform } from '../store/plan-records.ts';
import type { PlanDelivery } from './plan-delivery.ts';
import type { SubmissionJob } from './plan-queue.ts';
import type { PlanService } from './plan-service.ts';

/** What a submission job runs with. */
export interface SubmissionJobDeps {
  readonly service: PlanService;
  readonly deliveries: Readonly<Partial<Record<Platform, PlanDelivery>>>;
  readonly logger: Logger;
}

/**
 * A plan taken at the door becomes a plan: `submit` creates it under the submission's key (a
 * repeated job makes no second plan) with the limits checked under their lock. A limit reached
 * meanwhile is told to the requester where they asked; other failures are retried.
 */
export function runSubmissionJob(deps: SubmissionJobDeps, job: SubmissionJob): Promise<void> {
  const { data } = job;
  return withLogContext(
    { jobId: job.id, workspaceId: data.workspaceId, idempotencyKey: data.idempotencyKey },
    async () => {
      const request = planRequestSchema.parse(data.request);
      const origin = conversationRefSchema.parse(data.origin);
      try {
        const made = await deps.service.submit(request, { ...data, origin });
        // The plan job's lines name the plan; this one names the submission (its key, in the context).
        deps.logger.info({ created: made.created }, 'submitted plan created');
      } catch (error) {
        if (!(error instanceof PlanLimitError)) throw error;
        deps.logger.info({ scope: error.scope }, 'submitted plan refused by a limit reached meanwhile');
        await deps.deliveries[data.platform]?.refused?.(origin, data.requestedBy, userMessage(error, request.language));
      }
    },
  );
}

/** A submission that ran out of attempts: the requester is told it was not saved. */
export async function abandonSubmissionJob(deps: SubmissionJobDeps, job: SubmissionJob): Promise<void> {
  const { data } = job;
  const error = new AppError('INTERNAL', `submission job ${job.id} ran out of attempts`);
  deps.logger.error({ err: error, idempotencyKey: data.idempotencyKey }, 'submitted plan could not be created');
  const origin = conversationRefSchema.safeParse(data.origin);
  const request = planRequestSchema.safeParse(data.request);
  const language = request.success ? request.data.language : 'en';
  if (origin.success)
    await deps.deliveries[data.platform]?.refused?.(origin.data, data.requestedBy, SHARED_TEXTS[language].saveFailed);
}
