import type { App, BlockFeedbackButtonsAction } from '@slack/bolt';
import type { ContextActionsBlock } from '@slack/types';
import { LANGUAGES, type Language } from '../prompts/section-keys.ts';
import { ANSWER_FEEDBACK_ACTION } from './action-ids.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { feedbackElement } from './feedback-element.ts';
import { tallyText } from './vote-format.ts';

/** Slack's feedback element under a finished answer; each value names the vote and the question. */
export function answerFeedbackBlock(questionId: string, language: Language): ContextActionsBlock {
  return feedbackElement({
    actionId: ANSWER_FEEDBACK_ACTION,
    blockId: 'answer_feedback',
    subject: questionId,
    language,
  });
}

const VALUE = /^(up|down):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/u;

/**
 * Feedback on an answer: one vote per person and answer (a second click changes it), kept with
 * the question; the person is told the answer's tally, ephemerally, in the plan's language.
 */
export function registerAnswerVotes(app: App, deps: SlackAppDeps): void {
  app.action<BlockFeedbackButtonsAction>(ANSWER_FEEDBACK_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const match = VALUE.exec(action.value);
    if (match === null) return;
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    const helpful = match[1] === 'up';
    const voted = await deps.feedback.voteAnswer({
      workspaceId,
      questionId: match[2] ?? '',
      userId: body.user.id,
      helpful,
    });
    const t = SLACK_TEXTS[LANGUAGES.find((known) => known === voted?.language) ?? 'en'];
    const text = voted === undefined ? t.answerVoteGone : t.answerVoted(helpful, tallyText(voted.tally));
    await respond({ response_type: 'ephemeral', replace_original: false, text });
  });
}
