import type { TurnContext } from 'botbuilder';
import { questionLanguage } from '../core/question-language.ts';
import { askOutcomeText } from '../plans/question-service.ts';
import { QUESTION_TEXTS } from '../render/question-texts.ts';
import { cardMessage } from './adaptive-card.ts';
import { helpCard, noticeCard } from './teams-cards.ts';
import { languageOf, tenantOf, userOf } from './teams-activity.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';

/**
 * Text that is no command, in a conversation with a plan (a reply in the plan's channel thread, a
 * message in the chat the plan was posted in: its newest plan), asks about that plan; the answer
 * job posts the answer in the conversation. Without a plan the help answers, as before.
 */
export async function askInConversation(deps: TeamsBotDeps, context: TurnContext, text: string): Promise<void> {
  const { activity } = context;
  const fallback = languageOf(activity);
  const language = questionLanguage(text, fallback);
  const workspaceId = tenantOf(activity);
  const conversationId = activity.conversation.id;
  const reply = async (note: string) => {
    await context.sendActivity(cardMessage(noticeCard(neutralizeTeamsText(note)), note));
  };
  if (workspaceId === undefined) return reply(TEAMS_TEXTS[fallback].noTenant);
  if (deps.questions === undefined) {
    const plan = await deps.store.findPlanByThread(workspaceId, { platform: 'teams', conversationId });
    if (plan !== undefined) return reply(QUESTION_TEXTS[language].unavailable);
    await context.sendActivity(cardMessage(helpCard(fallback), TEAMS_TEXTS[fallback].helpTitle));
    return;
  }
  const outcome = await deps.questions.ask({
    workspaceId,
    platform: 'teams',
    thread: { platform: 'teams', conversationId },
    askedBy: userOf(activity),
    text,
    eventKey: `teams:${activity.id ?? ''}`,
  });
  deps.logger.info({ outcome: outcome.kind, conversationId }, 'question in a conversation');
  if (outcome.kind === 'no-plan') {
    await context.sendActivity(cardMessage(helpCard(fallback), TEAMS_TEXTS[fallback].helpTitle));
    return;
  }
  const note = askOutcomeText(outcome, language, `@${activity.recipient.name}`);
  if (note !== undefined) await reply(note);
}
