import { AppError } from '../errors.ts';
import { userMessage } from '../core/user-messages.ts';
import type { DeliveryTarget, PlanDelivery, SectionOutline } from '../plans/plan-delivery.ts';
import type { Logger } from '../logger.ts';
import type { MessageRef, RevisionRecord, SectionRecord } from '../store/plan-records.ts';
import { adaptiveCard, cardMessage, text } from './adaptive-card.ts';
import { planCard, planCardSummary, type PlanCardState } from './plan-card.ts';
import { noticeCard } from './teams-cards.ts';
import {
  isChannel,
  parseReference,
  serializeReference,
  type StoredReference,
  type TeamsConnector,
} from './teams-connector.ts';
import { markdownElements, sectionCards } from './teams-markdown.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

export interface TeamsDeliveryDeps {
  readonly connector: TeamsConnector;
  readonly logger: Logger;
}

const PLACEHOLDER_PREFIX = 'p_';
/** Teams clients show "typing…" for about 3 s; while a chat's plan streams it is renewed this often. */
const TYPING_EVERY_MS = 3000;
/** After a typing indicator was skipped (no free slot), the next try. */
const TYPING_RETRY_MS = 500;

/**
 * Where a plan posts. Revision 1: the conversation the form was submitted in (stored as the
 * plan's `channelId`, a serialized reference); later revisions: the plan's thread (`threadRef`).
 */
function conversationOf(target: DeliveryTarget): StoredReference {
  const reference = parseReference(target.plan.threadRef?.channel) ?? parseReference(target.plan.channelId);
  if (reference === undefined)
    throw new AppError('INTERNAL', `Teams plan ${target.plan.id} has no usable conversation reference`);
  return reference;
}

/**
 * Teams as a delivery platform, posting proactively (`continueConversationAsync` with the stored
 * reference). In a channel the parent card starts a new thread and each section is a reply in
 * it; in a 1:1 or group chat the same messages go into the chat, with a typing indicator while
 * sections are written. Placeholders are posted in plan order and replaced in place
 * (`updateActivity`), so a retried job updates instead of posting twice. The MessageRef keeps
 * `channel` (the serialized reference posted into), `ts` (the parent card's activity id) and
 * `thread_ts` (the thread's root), which the job records as the plan's thread.
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
 */
export function createTeamsDelivery(deps: TeamsDeliveryDeps): PlanDelivery {
  const { connector } = deps;
  const parents = new Map<string, MessageRef>();
  const parentOf = (target: DeliveryTarget) => parents.get(target.revision.id) ?? target.revision.messageRef;
  /** When each revision's chat last got a typing indicator. */
  const typedAt = new Map<string, number>();

  /** The chat's "typing…" while sections are written: nice to have, never worth failing a plan over. True if shown. */
  const showTyping = async (conversation: StoredReference): Promise<boolean> => {
    if (isChannel(conversation)) return false;
    try {
      return await connector.typing(conversation);
    } catch (error) {
      deps.logger.warn({ err: error }, 'typing indicator failed');
      return false;
    }
  };

  const parentMessage = (target: DeliveryTarget, revision: RevisionRecord, state: PlanCardState) =>
    cardMessage(planCard(target.plan, revision, state), planCardSummary(target.plan, revision));

  const open = async (target: DeliveryTarget, outline: readonly SectionOutline[]): Promise<MessageRef> => {
    const origin = conversationOf(target);
    const t = TEAMS_TEXTS[target.revision.request.language];
    const parent = parentMessage(target, target.revision, { kind: 'writing', done: 0, total: outline.length });
    let conversation = origin;
    let parentId: string;
    if (target.plan.threadRef === undefined && isChannel(origin)) {
      const thread = await connector.createThread(origin, parent);
      conversation = thread.reference;
      parentId = thread.activityId;
    } else {
      parentId = await connector.send(origin, parent);
    }
    const ref: Record<string, string> = {
      channel: serializeReference(conversation),
      ts: parentId,
      thread_ts: target.plan.threadRef?.ts ?? parentId,
    };
    for (const section of outline) {
      const placeholder = t.placeholder(section.number, section.title);
      ref[`${PLACEHOLDER_PREFIX}${section.key}`] = await connector.send(
        conversation,
        cardMessage(noticeCard(placeholder), placeholder),
      );
    }
    await showTyping(conversation);
    return ref;
  };

  return {
    ordered: false,
    async begin(target, outline, existing) {
      const ref = existing ?? (await open(target, outline));
      parents.set(target.revision.id, ref);
      return ref;
    },
    progress(target) {
      // Placeholders show progress; in a chat, "typing…" is renewed while text streams. When the
      // conversation's pacing has no free slot it is skipped and tried again shortly.
      const id = target.revision.id;
      const now = Date.now();
      if (now - (typedAt.get(id) ?? 0) < TYPING_EVERY_MS) return;
      const conversation = parseReference(parentOf(target)?.channel);
      if (conversation === undefined || isChannel(conversation)) return;
      typedAt.set(id, now);
      // Not awaited (progress is synchronous by contract): showTyping never rejects, and nothing
      // waits on a typing indicator.
      void showTyping(conversation).then((shown) => {
        if (!shown && typedAt.get(id) === now) typedAt.set(id, now - TYPING_EVERY_MS + TYPING_RETRY_MS);
      });
    },
    async section(target, section: SectionRecord) {
      const parent = parentOf(target);
      const conversation = parseReference(parent?.channel) ?? conversationOf(target);
      const language = target.revision.request.language;
      const t = TEAMS_TEXTS[language];
      const footer =
        section.missingItems.length > 0
          ? `${t.missing}: ${section.missingItems.map((item) => item.label).join('; ')}`
          : undefined;
      const [first, ...more] = sectionCards({
        title: section.title,
        number: section.position,
        markdown: section.markdown,
        language,
        footer,
      });
      if (first === undefined) return undefined;
      const summary = `${section.position}. ${section.title}`;
      const placeholder = parent?.[`${PLACEHOLDER_PREFIX}${section.key}`];
      let id: string;
      if (placeholder === undefined) {
        id = await connector.send(conversation, cardMessage(first, summary));
      } else {
        await connector.update(conversation, placeholder, cardMessage(first, summary));
        id = placeholder;
      }
      for (const continuation of more) await connector.send(conversation, cardMessage(continuation, summary));
      await showTyping(conversation);
      return { id };
    },
    async finish(target, revision: RevisionRecord) {
      const parent = parentOf(target);
      const conversation = parseReference(parent?.channel);
      if (conversation === undefined || parent?.ts === undefined) return;
      const done = { ...target.revision, ...revision };
      await connector.update(conversation, parent.ts, parentMessage(target, done, { kind: 'done' }));
      if (revision.changeSummary !== undefined) {
        const t = TEAMS_TEXTS[revision.request.language];
        // One line per section: short, but clipped so the card stays under Teams' size limit.
        const card = adaptiveCard([
          text(t.whatChanged, { size: 'medium', weight: 'bolder', style: 'heading' }),
          ...markdownElements(revision.changeSummary.slice(0, 8_000)),
        ]);
        await connector.send(conversation, cardMessage(card, t.whatChanged));
      }
      parents.delete(target.revision.id);
      typedAt.delete(target.revision.id);
    },
    async fail(target, error: AppError) {
      const parent = parentOf(target);
      const language = target.revision.request.language;
      const message = userMessage(error, language);
      const conversation = parseReference(parent?.channel) ?? conversationOf(target);
      if (parent?.ts !== undefined) {
        await connector.update(
          conversation,
          parent.ts,
          parentMessage(target, target.revision, { kind: 'failed', message }),
        );
      }
      const notice = `${TEAMS_TEXTS[language].failed} ${message}`;
      await connector.send(
        conversation,
        cardMessage(noticeCard(neutralizeTeamsText(notice), { attention: true }), notice),
      );
      parents.delete(target.revision.id);
      typedAt.delete(target.revision.id);
    },
  };
}
