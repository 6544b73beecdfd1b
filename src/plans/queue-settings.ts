/** How plan jobs run (PLAN_* job variables). */
export interface PlanQueueSettings {
  /** Plan jobs one process runs at once. */
  readonly concurrency: number;
  /** Plan jobs one workspace may have running at once, across all processes. */
  readonly workspaceConcurrency: number;
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  readonly heartbeatSeconds: number;
  readonly expireSeconds: number;
  readonly superviseSeconds: number;
  readonly pollSeconds: number;
}
