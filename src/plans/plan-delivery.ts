import type { AppError } from '../errors.ts';
import type { PlanEvent } from '../core/plan-types.ts';
import type { ConversationRef, MessageRef } from '../store/message-refs.ts';
import type { PlanRecord, RevisionRecord, RevisionWithSections, SectionRecord } from '../store/plan-records.ts';

/** What a delivery is about: the plan and the revision being written, as stored when the attempt began. */
export interface DeliveryTarget {
  readonly plan: PlanRecord;
  readonly revision: RevisionWithSections;
}

export interface SectionOutline {
  readonly key: string;
  readonly number: number;
  readonly title: string;
}

/** The port every platform implements; given stored references, a retried job replaces what it posted. */
export interface PlanDelivery {
  /** True when sections must arrive in plan order (a terminal printing one document), not as written. */
  readonly ordered: boolean;
  /** Shows the revision has started: posts its parent message (and placeholders), or reuses `existing`. */
  begin(
    target: DeliveryTarget,
    outline: readonly SectionOutline[],
    existing: MessageRef | undefined,
  ): Promise<MessageRef | undefined>;
  /** Progress while writing (streamed text, retries); best effort, never fails the job. */
  progress(target: DeliveryTarget, event: PlanEvent): void;
  /**
   * Where posts cannot be repeated safely (a terminal): the reference to record before `section`
   * delivers, so a crash right after delivering cannot make the next attempt deliver again.
   */
  reserve?(target: DeliveryTarget, section: SectionRecord): MessageRef;
  /** Delivers a finished section; `existing` is its stored reference if it was delivered before. */
  section(
    target: DeliveryTarget,
    section: SectionRecord,
    existing: MessageRef | undefined,
  ): Promise<MessageRef | undefined>;
  /** The revision is done; `revision` carries the final usage, cost and change summary. */
  finish(target: DeliveryTarget, revision: RevisionRecord, sections: readonly SectionRecord[]): Promise<void>;
  /** The revision failed for good; the user gets the fixed text for the error's code. */
  fail(target: DeliveryTarget, error: AppError): Promise<void>;
  /**
   * A plan taken at the door could not be created after all (a limit reached meanwhile): tells
   * the requester where they asked for it. Platforms that take plans at the door implement it.
   */
  refused?(origin: ConversationRef, requestedBy: string, message: string): Promise<void>;
}
