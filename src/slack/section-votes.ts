import type { App, BlockButtonAction, BlockFeedbackButtonsAction, RespondFn } from '@slack/bolt';
import type { ContextActionsBlock } from '@slack/types';
import type { Language } from '../prompts/section-keys.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { SECTION_FEEDBACK_ACTION, VOTE_DOWN_ACTION, VOTE_UP_ACTION } from './action-ids.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { feedbackElement } from './feedback-element.ts';
import { tallyText } from './vote-format.ts';

/** Slack's feedback element under a section reply; each value names the vote, the revision and the section. */
export function feedbackBlock(revisionId: string, sectionKey: string, language: Language): ContextActionsBlock {
  const subject = `${revisionId}:${sectionKey}`;
  return feedbackElement({ actionId: SECTION_FEEDBACK_ACTION, blockId: `feedback_${sectionKey}`, subject, language });
}

const VALUE = /^([0-9a-f-]{36}):([a-z0-9_-]+)$/u;

const FEEDBACK_VALUE = /^(up|down):(.+)$/u;

interface VoteClick {
  readonly value: string;
  readonly helpful: boolean;
  readonly workspaceId: string;
  readonly userId: string;
}

/** Records a click on either kind of button and tells the person the section's tally (ephemeral). */
async function recordVote(deps: SlackAppDeps, click: VoteClick, respond: RespondFn): Promise<void> {
  const match = VALUE.exec(click.value);
  if (match === null) return;
  const [, revisionId = '', sectionKey = ''] = match;
  const { workspaceId, userId, helpful } = click;
  const revision = await deps.store.getRevisionById(workspaceId, revisionId);
  const t = SLACK_TEXTS[revision?.request.language ?? 'en'];
  const section = revision?.sections.find((candidate) => candidate.key === sectionKey);
  const tally =
    section === undefined
      ? undefined
      : await deps.feedback.vote({ workspaceId, revisionId, sectionKey, userId, helpful });
  const text =
    section === undefined || tally === undefined ? t.voteGone : t.voted(helpful, section.position, tallyText(tally));
  await respond({ response_type: 'ephemeral', replace_original: false, text });
}

/**
 * Feedback on a section: one vote per person and section (a second click changes it), stored
 * with the section so `show`, App Home and prompt changes can use it. The answer is ephemeral.
 * Slack's feedback element and the plain buttons of messages posted before it feed the same votes.
 */
export function registerSectionVotes(app: App, deps: SlackAppDeps): void {
  for (const helpful of [true, false]) {
    app.action<BlockButtonAction>(
      helpful ? VOTE_UP_ACTION : VOTE_DOWN_ACTION,
      async ({ ack, body, action, respond }) => {
        await ack();
        const workspaceId = body.team?.id ?? body.user.team_id ?? '';
        await recordVote(deps, { value: action.value ?? '', helpful, workspaceId, userId: body.user.id }, respond);
      },
    );
  }
  app.action<BlockFeedbackButtonsAction>(SECTION_FEEDBACK_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const match = FEEDBACK_VALUE.exec(action.value);
    if (match === null) return;
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    const click = { value: match[2] ?? '', helpful: match[1] === 'up', workspaceId, userId: body.user.id };
    await recordVote(deps, click, respond);
  });
}
