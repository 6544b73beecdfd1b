import type { Planner } from '../core/planner.ts';
import type { SpecCatalog } from '../grounding/spec-catalog.ts';
import type { Logger } from '../logger.ts';
import type { Platform, PlanRecord, RevisionRecord } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { PlanDelivery } from './plan-delivery.ts';

/** Told how revisions end (metrics); must not throw. */
export interface PlanJobObserver {
  finished(plan: PlanRecord, revision: RevisionRecord): void;
  failed(plan: PlanRecord, revision: RevisionRecord, code: string): void;
}

/** What a plan job runs with. */
export interface PlanJobDeps {
  readonly store: PlanStore;
  readonly planner: Planner;
  readonly deliveries: Readonly<Partial<Record<Platform, PlanDelivery>>>;
  readonly logger: Logger;
  readonly observer?: PlanJobObserver | undefined;
  /** SPEC_CATALOG_DIR's specs, for revisions given none. */
  readonly catalog?: SpecCatalog | undefined;
}
