import type { AppError } from '../../src/errors.ts';
import type { PlanEvent } from '../../src/core/plan-types.ts';
import type { DeliveryTarget, PlanDelivery } from '../../src/plans/plan-delivery.ts';
import type { ConversationRef } from '../../src/store/message-refs.ts';
import type { RevisionRecord, SectionRecord } from '../../src/store/plan-records.ts';

export interface DeliveryLog {
  readonly kind: 'begin' | 'section' | 'finish' | 'fail';
  readonly revisionId: string;
  readonly workspaceId: string;
  readonly key?: string;
  readonly code?: string;
  readonly at: number;
}

/**
 * A platform of our own for job tests: a real implementation of the delivery port that records
 * what a chat platform would have been asked to post, with message references like a platform's.
 */
export function createRecordingDelivery(options: {
  ordered: boolean;
  /** How long posting the parent takes (a paced chat platform takes seconds). */
  beginDelayMs?: number;
  /** Posting the parent fails with this. */
  beginError?: Error;
}): PlanDelivery & {
  readonly log: DeliveryLog[];
  readonly events: PlanEvent[];
  readonly finished: RevisionRecord[];
  /** Plans taken at the door and refused after all: who was told what, where. */
  readonly refusals: { readonly origin: ConversationRef; readonly user: string; readonly message: string }[];
} {
  const refusals: { origin: ConversationRef; user: string; message: string }[] = [];
  const log: DeliveryLog[] = [];
  const events: PlanEvent[] = [];
  const finished: RevisionRecord[] = [];
  const entry = (kind: DeliveryLog['kind'], target: DeliveryTarget, extra: Partial<DeliveryLog> = {}) =>
    log.push({
      kind,
      revisionId: target.revision.id,
      workspaceId: target.plan.workspaceId,
      at: performance.now(),
      ...extra,
    });
  return {
    ordered: options.ordered,
    log,
    events,
    finished,
    refusals,
    async begin(target, _outline, existing) {
      await new Promise((resolve) => setTimeout(resolve, options.beginDelayMs ?? 0));
      if (options.beginError !== undefined) throw options.beginError;
      entry('begin', target);
      return existing ?? { platform: 'slack', v: 1, channel: 'C-RECORDED', ts: `parent-${target.revision.id}` };
    },
    progress(_target, event) {
      events.push(event);
    },
    section(target, section: SectionRecord) {
      entry('section', target, { key: section.key });
      return Promise.resolve({ platform: 'slack', v: 1, channel: 'C-RECORDED', ts: `section-${section.key}` } as const);
    },
    finish(target, revision) {
      entry('finish', target);
      finished.push(revision);
      return Promise.resolve();
    },
    fail(target, error: AppError) {
      entry('fail', target, { code: error.code });
      return Promise.resolve();
    },
    refused(origin, user, message) {
      refusals.push({ origin, user, message });
      return Promise.resolve();
    },
  };
}
