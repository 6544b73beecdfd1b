import type { PlanSection } from '../core/plan-types.ts';
import type { SectionRecord } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { DeliveryTarget, PlanDelivery } from './plan-delivery.ts';

/**
 * Hands stored sections to the delivery and records what it posted. Sections already delivered
 * by an earlier attempt are skipped; for an ordered delivery, a section waits until every
 * section before it has gone out, so the terminal prints one document in plan order.
 */
export function createSectionDispatcher(store: PlanStore, delivery: PlanDelivery | undefined, target: DeliveryTarget) {
  const { workspaceId } = target.plan;
  const revisionId = target.revision.id;
  const stored = new Map<number, SectionRecord>(target.revision.sections.map((section) => [section.position, section]));
  const delivered = new Set<number>(
    target.revision.sections.filter((section) => section.messageRef !== undefined).map((section) => section.position),
  );

  const deliver = async (section: SectionRecord) => {
    if (delivery === undefined) return;
    const reserved = delivery.reserve?.(target, section);
    if (reserved !== undefined) await store.setSectionMessageRef(workspaceId, revisionId, section.key, reserved);
    const ref = await delivery.section(target, section, section.messageRef);
    delivered.add(section.position);
    if (ref !== undefined && reserved === undefined)
      await store.setSectionMessageRef(workspaceId, revisionId, section.key, ref);
  };

  const flush = async () => {
    const waiting = [...stored.values()]
      .filter((section) => !delivered.has(section.position))
      .sort((a, b) => a.position - b.position);
    for (const section of waiting) {
      const earlier = Array.from({ length: section.position - 1 }, (_, index) => index + 1);
      if (delivery?.ordered === true && !earlier.every((position) => delivered.has(position))) break;
      await deliver(section);
    }
  };

  return {
    /** Delivers what an earlier attempt stored but did not deliver. */
    resume: flush,
    /** Stores a new section first (so a crash cannot lose it), then delivers what can go out. */
    async add(section: PlanSection) {
      await store.saveSection(workspaceId, revisionId, section);
      if (!stored.has(section.number)) {
        stored.set(section.number, { ...section, position: section.number, messageRef: undefined });
      }
      await flush();
    },
  };
}
