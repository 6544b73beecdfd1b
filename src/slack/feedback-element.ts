import type { ContextActionsBlock } from '@slack/types';
import type { Language } from '../prompts/section-keys.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

/**
 * Slack's feedback element (thumbs up and down in a context_actions block) for what `subject`
 * names; each button's value is `up:` or `down:` followed by the subject.
 */
export function feedbackElement(options: {
  readonly actionId: string;
  readonly blockId: string;
  readonly subject: string;
  readonly language: Language;
}): ContextActionsBlock {
  const t = SLACK_TEXTS[options.language];
  const side = (vote: 'up' | 'down', emoji: string, label: string) => ({
    text: { type: 'plain_text' as const, text: emoji },
    value: `${vote}:${options.subject}`,
    accessibility_label: label,
  });
  return {
    type: 'context_actions',
    block_id: options.blockId.slice(0, 255),
    elements: [
      {
        type: 'feedback_buttons',
        action_id: options.actionId,
        positive_button: side('up', '👍', t.helpful),
        negative_button: side('down', '👎', t.notHelpful),
      },
    ],
  };
}
