import type { SubmissionJob, SubmissionJobData } from '../../src/plans/plan-queue.ts';

/** A plan-submit job as a worker gets it, on its first attempt; `data` is the stored submission. */
export function submissionJob(data: SubmissionJobData): SubmissionJob {
  return {
    id: `job-${data.idempotencyKey}`,
    queue: 'plan-submit',
    retryCount: 0,
    retryLimit: 3,
    handBacks: 0,
    signal: new AbortController().signal,
    data,
  };
}
