import type { Activity } from 'botbuilder';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { DeliveryTarget, PlanDelivery } from '../plans/plan-delivery.ts';
import { createPlanThread } from '../plans/plan-thread.ts';
import type { ThreadPoster, ThreadRenderer } from '../plans/thread-poster.ts';
import type { TeamsConversation, TeamsMessageRef } from '../store/message-refs.ts';
import { adaptiveCard, cardMessage, text } from './adaptive-card.ts';
import { modelWritten } from './ai-content.ts';
import { planCard, planCardSummary } from './plan-card.ts';
import { noticeCard } from './teams-cards.ts';
import { isChannel, type TeamsConnector } from './teams-connector.ts';
import { markdownElements, sectionCards } from './teams-markdown.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

export interface TeamsThreadDeps {
  readonly connector: TeamsConnector;
  readonly logger: Logger;
}

type TeamsPayload = Partial<Activity>;

/** Teams clients show "typing…" for about 3 s; while a chat's plan streams it is renewed this often. */
const TYPING_EVERY_MS = 3000;
/** After a typing indicator was skipped (no free slot), the next try. */
const TYPING_RETRY_MS = 500;
/** A "what changed" is one line per section: clipped so its card stays under Teams' size limit. */
const MAX_CHANGES_CHARS = 8_000;

/** The plan thread as Adaptive Cards. */
const teamsThreadRenderer: ThreadRenderer<TeamsPayload> = {
  parent: (target, revision, state) =>
    cardMessage(planCard(target.plan, revision, state), planCardSummary(target.plan, revision)),
  placeholder(target, section) {
    const placeholder = TEAMS_TEXTS[target.revision.request.language].placeholder(section.number, section.title);
    return cardMessage(noticeCard(placeholder), placeholder);
  },
  section(target, { section: { title, position, markdown }, footer }) {
    const { language } = target.revision.request;
    const cards = sectionCards({ title, number: position, markdown, language, footer });
    // Written by the model: labelled, and the section's first message takes feedback (its stored reference).
    return cards.map((card, index) =>
      modelWritten(cardMessage(card, `${position}. ${title}`), { feedback: index === 0 }),
    );
  },
  changes(target, summary) {
    const t = TEAMS_TEXTS[target.revision.request.language];
    const card = adaptiveCard([
      text(t.whatChanged, { size: 'medium', weight: 'bolder', style: 'heading' }),
      ...markdownElements(summary.slice(0, MAX_CHANGES_CHARS)),
    ]);
    return modelWritten(cardMessage(card, t.whatChanged), { feedback: false });
  },
  failure(target, message) {
    const notice = `${TEAMS_TEXTS[target.revision.request.language].failed} ${message}`;
    return cardMessage(noticeCard(neutralizeTeamsText(notice), { attention: true }), notice);
  },
};

/** Where to post: the plan's thread; for revision 1, the conversation the form was submitted in. */
function conversationOf(target: DeliveryTarget): TeamsConversation {
  const { threadRef, origin } = target.plan;
  if (threadRef?.platform === 'teams') return threadRef.conversation;
  if (origin?.platform === 'teams') return origin.conversation;
  throw new AppError('INTERNAL', `Teams plan ${target.plan.id} has no Teams conversation to post in`);
}

/** "typing…" in a chat: nice to have, never worth failing a plan over. True if shown. */
async function showTyping(deps: TeamsThreadDeps, conversation: TeamsConversation): Promise<boolean> {
  if (isChannel(conversation)) return false;
  try {
    return await deps.connector.typing(conversation);
  } catch (error) {
    deps.logger.warn({ err: error }, 'typing indicator failed');
    return false;
  }
}

/**
 * Teams' side of the plan thread, posting proactively (`continueConversationAsync` with the
 * stored reference). In a channel, revision 1's parent card starts a new thread and everything
 * else replies in it; in a 1:1 or group chat the same messages go into the chat, with "typing…"
 * while sections are written.
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
 */
export function createTeamsThreadPoster(deps: TeamsThreadDeps): ThreadPoster<TeamsPayload, TeamsMessageRef> {
  const { connector } = deps;
  /** When each revision's chat last got a typing indicator. */
  const typedAt = new Map<string, number>();
  return {
    render: teamsThreadRenderer,
    async postParent(target, payload) {
      const origin = conversationOf(target);
      const ref = (conversation: TeamsConversation, activityId: string): TeamsMessageRef => ({
        platform: 'teams',
        v: 1,
        conversation,
        activityId,
        rootId: target.plan.threadRef?.platform === 'teams' ? target.plan.threadRef.activityId : activityId,
      });
      if (target.plan.threadRef === undefined && isChannel(origin)) {
        const thread = await connector.createThread(origin, payload);
        return ref(thread.reference, thread.activityId);
      }
      return ref(origin, await connector.send(origin, payload));
    },
    reply: (parent, payload) => connector.send(parent.conversation, payload),
    update: (parent, activityId, payload) => connector.update(parent.conversation, activityId, payload),
    messageRef: (parent, activityId) => ({ platform: 'teams', v: 1, conversation: parent.conversation, activityId }),
    ownRef: (stored) => (stored?.platform === 'teams' ? stored : undefined),
    async notifyUnthreaded(target, message) {
      await connector.send(conversationOf(target), teamsThreadRenderer.failure(target, message));
    },
    async stillWriting(parent) {
      await showTyping(deps, parent.conversation);
    },
    progress(parent, target) {
      // Placeholders show progress; in a chat, "typing…" is renewed while text streams. When the
      // conversation's pacing has no free slot it is skipped and tried again shortly.
      const id = target.revision.id;
      const now = Date.now();
      if (now - (typedAt.get(id) ?? 0) < TYPING_EVERY_MS || isChannel(parent.conversation)) return;
      typedAt.set(id, now);
      // Not awaited (progress is synchronous by contract): showTyping never rejects, and nothing
      // waits on a typing indicator.
      void showTyping(deps, parent.conversation).then((shown) => {
        if (!shown && typedAt.get(id) === now) typedAt.set(id, now - TYPING_EVERY_MS + TYPING_RETRY_MS);
      });
    },
    release(target) {
      typedAt.delete(target.revision.id);
    },
  };
}

/** Plans delivered into Teams channel threads and chats. */
export function createTeamsPlanThread(deps: TeamsThreadDeps): PlanDelivery {
  return {
    ...createPlanThread(createTeamsThreadPoster(deps)),
    // A plan taken at the door and refused after all: said in the conversation the form came from
    // (Teams has no message for one person only), naming no one.
    async refused(origin, _requestedBy, message) {
      if (origin.platform !== 'teams') return;
      await deps.connector.send(origin.conversation, cardMessage(noticeCard(neutralizeTeamsText(message)), message));
    },
  };
}
