import type { AppError } from '../errors.ts';
import { userMessage } from '../core/user-messages.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import { messageIdOf, type ChatMessageRef, type MessageRef } from '../store/message-refs.ts';
import type { SectionRecord } from '../store/plan-records.ts';
import type { DeliveryTarget, PlanDelivery, SectionOutline } from './plan-delivery.ts';
import type { ThreadPoster } from './thread-poster.ts';

/** "Still missing: …" and "Not in the API spec: …" under a section, when there is something to say. */
function sectionFooter(target: DeliveryTarget, section: SectionRecord): string | undefined {
  const t = SHARED_TEXTS[target.revision.request.language];
  const lines = [
    [t.missing, section.missingItems.map((item) => item.label)] as const,
    [t.notInSpec, section.notInSpec] as const,
  ].flatMap(([label, items]) => (items.length === 0 ? [] : [`${label}: ${items.join('; ')}`]));
  return lines.length === 0 ? undefined : lines.join('\n');
}

/** A section in place of its placeholder (or as a new reply), then its continuations; its first message's ref. */
async function postSection<Payload, Ref extends ChatMessageRef>(
  poster: ThreadPoster<Payload, Ref>,
  parent: Ref,
  target: DeliveryTarget,
  section: SectionRecord,
): Promise<MessageRef | undefined> {
  const [first, ...continuations] = poster.render.section(target, { section, footer: sectionFooter(target, section) });
  if (first === undefined) return undefined;
  let messageId = parent.placeholders?.[section.key];
  if (messageId === undefined) messageId = await poster.reply(parent, first);
  else await poster.update(parent, messageId, first);
  for (const continuation of continuations) await poster.reply(parent, continuation);
  await poster.stillWriting?.(parent);
  return poster.messageRef(parent, messageId);
}

/**
 * Posts a revision's parent, then the platform's progress display or, where it has none or it is
 * refused, one placeholder per section; the parent's reference with them.
 */
async function openThread<Payload, Ref extends ChatMessageRef>(
  poster: ThreadPoster<Payload, Ref>,
  target: DeliveryTarget,
  outline: readonly SectionOutline[],
): Promise<Ref> {
  const state = { kind: 'writing', done: 0, total: outline.length } as const;
  const parent = await poster.postParent(target, poster.render.parent(target, target.revision, state));
  const progress = await poster.openProgress?.(parent, target, outline);
  if (progress !== undefined) return { ...parent, progress, placeholders: {} };
  const placeholders: Record<string, string> = {};
  for (const section of outline) {
    placeholders[section.key] = await poster.reply(parent, poster.render.placeholder(target, section));
  }
  await poster.stillWriting?.(parent);
  return { ...parent, placeholders };
}

/**
 * A plan as a chat thread, the same on every chat platform: a parent message (the thread's root
 * for revision 1, a reply in the plan's thread later) and one placeholder per section, replaced
 * in place as sections finish (continuations after them); then the parent shows the result and a
 * re-run's "what changed" follows, or the parent and a notice say why it failed. Placeholders make
 * delivery repeatable: a retried job updates the stored parent's messages instead of posting twice.
 * A platform with its own progress display (Slack) shows that instead of placeholders, and the
 * sections follow it as replies in plan order (a retried job skips the ones it stored).
 */
export function createPlanThread<Payload, Ref extends ChatMessageRef>(
  poster: ThreadPoster<Payload, Ref>,
): PlanDelivery {
  const { render } = poster;
  /** Parents of the revisions this process is delivering (the stored one after a restart). */
  const parents = new Map<string, Ref>();
  const parentOf = (target: DeliveryTarget) =>
    parents.get(target.revision.id) ?? poster.ownRef(target.revision.messageRef);
  const release = (target: DeliveryTarget) => {
    parents.delete(target.revision.id);
    poster.release?.(target);
  };

  return {
    // With a progress display there are no placeholders to keep the sections in plan order.
    ordered: poster.openProgress !== undefined,
    async begin(target, outline, existing) {
      const parent = poster.ownRef(existing) ?? (await openThread(poster, target, outline));
      parents.set(target.revision.id, parent);
      return parent;
    },
    progress(target, event) {
      const parent = parentOf(target);
      if (parent !== undefined) poster.progress?.(parent, target, event);
    },
    async section(target, section) {
      const parent = parentOf(target);
      return parent === undefined ? undefined : postSection(poster, parent, target, section);
    },
    async finish(target, revision) {
      const parent = parentOf(target);
      if (parent !== undefined) {
        await poster.closeProgress?.(target, undefined);
        const done = { ...target.revision, ...revision };
        await poster.update(parent, messageIdOf(parent), render.parent(target, done, { kind: 'done' }));
        if (revision.changeSummary !== undefined)
          await poster.reply(parent, render.changes(target, revision.changeSummary));
      }
      release(target);
    },
    async fail(target, error: AppError) {
      const parent = parentOf(target);
      const message = userMessage(error, target.revision.request.language);
      if (parent === undefined) {
        await poster.notifyUnthreaded(target, message);
      } else {
        await poster.closeProgress?.(target, message);
        const state = { kind: 'failed', message } as const;
        await poster.update(parent, messageIdOf(parent), render.parent(target, target.revision, state));
        await poster.reply(parent, render.failure(target, message));
      }
      release(target);
    },
  };
}
