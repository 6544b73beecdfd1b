/**
 * How much V8 heap the configured plan concurrency needs, and whether the heap limit leaves
 * room for it. Measured with the load bench (parallel strategy, 8 model streams per plan): the
 * live heap after a full GC is about 47 MB idle plus 0.53 MB per plan running at once (71 MB at
 * 50, 153 MB at 200). The figures below round that up; the limit should also leave room for the
 * garbage V8 keeps between full collections.
 */
const BASE_MB = 48;
const PER_RUNNING_PLAN_MB = 0.75;
const HEADROOM = 1.5;
const MB = 1024 * 1024;

export interface HeapBudget {
  /** The heap limit (V8's heap_size_limit: --max-old-space-size plus the young generation). */
  readonly limitMb: number;
  /** Live heap the running plans are expected to need. */
  readonly neededMb: number;
  /** A --max-old-space-size that fits the need with headroom, in steps of 32 MB. */
  readonly recommendedMb: number;
  /** The limit is below the recommendation: expect long GC pauses or an out-of-memory crash under full load. */
  readonly tight: boolean;
}

export function heapBudget(heapLimitBytes: number, workerConcurrency: number): HeapBudget {
  const limitMb = Math.round(heapLimitBytes / MB);
  const neededMb = Math.ceil(BASE_MB + PER_RUNNING_PLAN_MB * workerConcurrency);
  const recommendedMb = Math.ceil((neededMb * HEADROOM) / 32) * 32;
  return { limitMb, neededMb, recommendedMb, tight: limitMb < recommendedMb };
}

/** The operator's to-do when the limit is tight. */
export function heapAdvice(budget: HeapBudget, workerConcurrency: number): string {
  return (
    `The V8 heap limit (${budget.limitMb} MB) is tight for PLAN_WORKER_CONCURRENCY=${workerConcurrency}: ` +
    `running plans need about ${budget.neededMb} MB live. Start Node with --max-old-space-size=${budget.recommendedMb} ` +
    `(NODE_OPTIONS) and give the container memory to match, or lower PLAN_WORKER_CONCURRENCY.`
  );
}
