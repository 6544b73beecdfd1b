import type { App, BlockButtonAction } from '@slack/bolt';
import type { ActionsBlock } from '@slack/types';
import type { Language } from '../prompts/section-keys.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { VOTE_DOWN_ACTION, VOTE_UP_ACTION } from './action-ids.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { tallyText } from './vote-format.ts';

/** The buttons under a section reply; the value names the revision and section. */
export function voteBlock(revisionId: string, sectionKey: string, language: Language): ActionsBlock {
  const t = SLACK_TEXTS[language];
  const value = `${revisionId}:${sectionKey}`;
  return {
    type: 'actions',
    block_id: `vote_${sectionKey}`.slice(0, 255),
    elements: (
      [
        [VOTE_UP_ACTION, `:+1: ${t.helpful}`],
        [VOTE_DOWN_ACTION, `:-1: ${t.notHelpful}`],
      ] as const
    ).map(([action_id, text]) => ({
      type: 'button' as const,
      action_id,
      text: { type: 'plain_text' as const, text, emoji: true },
      value,
    })),
  };
}

const VALUE = /^([0-9a-f-]{36}):([a-z0-9_-]+)$/u;

/**
 * Feedback on a section: one vote per person and section (a second click changes it), stored
 * with the section so `show`, App Home and prompt changes can use it. The answer is ephemeral.
 */
export function registerSectionVotes(app: App, deps: SlackAppDeps): void {
  for (const helpful of [true, false]) {
    app.action<BlockButtonAction>(
      helpful ? VOTE_UP_ACTION : VOTE_DOWN_ACTION,
      async ({ ack, body, action, respond }) => {
        await ack();
        const match = VALUE.exec(action.value ?? '');
        const workspaceId = body.team?.id ?? body.user.team_id ?? '';
        if (match === null) return;
        const [, revisionId = '', sectionKey = ''] = match;
        const revision = await deps.store.getRevisionById(workspaceId, revisionId);
        const t = SLACK_TEXTS[revision?.request.language ?? 'en'];
        const section = revision?.sections.find((candidate) => candidate.key === sectionKey);
        const tally =
          section === undefined
            ? undefined
            : await deps.feedback.vote({ workspaceId, revisionId, sectionKey, userId: body.user.id, helpful });
        const text =
          section === undefined || tally === undefined
            ? t.voteGone
            : t.voted(helpful, section.position, tallyText(tally));
        await respond({ response_type: 'ephemeral', replace_original: false, text });
      },
    );
  }
}
