import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../prompts/section-keys.ts';
import {
  ANSWER_FEEDBACK_ACTION,
  APPROVE_ACTION,
  CHANGES_ACTION,
  EXPORT_ACTION,
  OPEN_ACTION,
  RERUN_ACTION,
  SECTION_FEEDBACK_ACTION,
  VOTE_DOWN_ACTION,
  VOTE_UP_ACTION,
} from './action-ids.ts';
import { CHANGES_MODAL_CALLBACK } from './plan-review-actions.ts';
import { PLAN_MODAL_CALLBACK } from './plan-modal.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { localeOf } from './slack-locale.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

/** Every action id, view callback id and shortcut callback id a handler answers today. */
const KNOWN = {
  actions: new Set<string>([
    RERUN_ACTION,
    EXPORT_ACTION,
    OPEN_ACTION,
    VOTE_UP_ACTION,
    VOTE_DOWN_ACTION,
    SECTION_FEEDBACK_ACTION,
    ANSWER_FEEDBACK_ACTION,
    APPROVE_ACTION,
    CHANGES_ACTION,
  ]),
  views: new Set<string>([PLAN_MODAL_CALLBACK, CHANGES_MODAL_CALLBACK]),
  shortcuts: new Set<string>(),
};

const interactionSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('block_actions'),
    actions: z.array(z.looseObject({ action_id: z.string() })),
    user: z.looseObject({ id: z.string() }),
    channel: z.looseObject({ id: z.string() }).nullish(),
    response_url: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('view_submission'),
    view: z.looseObject({ callback_id: z.string(), private_metadata: z.string().optional() }),
    user: z.looseObject({ id: z.string() }),
  }),
  z.looseObject({
    type: z.enum(['shortcut', 'message_action']),
    callback_id: z.string(),
    trigger_id: z.string(),
    user: z.looseObject({ id: z.string() }),
  }),
]);
type Interaction = z.infer<typeof interactionSchema>;

/** The interaction when no handler knows it: a button, form or shortcut of an older version of the app. */
function unknownInteraction(body: unknown): Interaction | undefined {
  const parsed = interactionSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const interaction = parsed.data;
  switch (interaction.type) {
    case 'block_actions':
      return interaction.actions.every((action) => KNOWN.actions.has(action.action_id)) ? undefined : interaction;
    case 'view_submission':
      return KNOWN.views.has(interaction.view.callback_id) ? undefined : interaction;
    default:
      return KNOWN.shortcuts.has(interaction.callback_id) ? undefined : interaction;
  }
}

/** The language an older form of ours recorded in its metadata, English otherwise. */
function formLanguage(metadata: string | undefined): Language {
  try {
    const parsed = z.looseObject({ language: z.enum(LANGUAGES) }).safeParse(JSON.parse(metadata ?? ''));
    return parsed.success ? parsed.data.language : 'en';
  } catch {
    return 'en';
  }
}

/**
 * The answer to a form of an older version: the form replaced by a notice. Given without asking
 * Slack for the locale (Slack's 3 seconds): our forms carry their language in their metadata.
 */
export function staleFormAnswer(metadata: string | undefined) {
  const t = SLACK_TEXTS[formLanguage(metadata)].stale;
  return {
    response_action: 'update' as const,
    view: {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: t.formTitle },
      close: { type: 'plain_text' as const, text: t.close },
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: t.form } }],
    },
  };
}

/** After the acknowledgement: the person is told what happened, in their language. */
async function explain(client: WebClient, interaction: Interaction, respond: RespondFn | undefined) {
  const t = SLACK_TEXTS[await localeOf(client, interaction.user.id)].stale;
  if (interaction.type === 'block_actions') {
    if (respond !== undefined) await respond({ response_type: 'ephemeral', replace_original: false, text: t.button });
    else if (interaction.channel?.id !== undefined)
      await client.chat.postEphemeral({ channel: interaction.channel.id, user: interaction.user.id, text: t.button });
    return;
  }
  if (interaction.type !== 'view_submission') {
    await client.views.open({
      trigger_id: interaction.trigger_id,
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: t.formTitle },
        close: { type: 'plain_text', text: t.close },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: t.shortcut } }],
      },
    });
  }
}

/**
 * Buttons, forms and shortcuts no handler knows (posted or opened by an older version of the
 * app) are acknowledged at once — otherwise Slack shows the person an error after 3 seconds —
 * and the person is told plainly what happened and what to do: an ephemeral message for a
 * button, the form replaced by a notice, a notice window for a shortcut.
 */
export function registerUnknownInteractions(app: App, deps: SlackAppDeps): void {
  app.use(async (args) => {
    const interaction = unknownInteraction(args.body);
    if (interaction === undefined) {
      await args.next();
      return;
    }
    const ack = 'ack' in args ? (args.ack as (response?: object) => Promise<void>) : undefined;
    deps.logger.warn({ type: interaction.type }, 'Slack interaction of an older version acknowledged');
    if (interaction.type === 'view_submission') {
      await ack?.(staleFormAnswer(interaction.view.private_metadata));
      return;
    }
    await ack?.();
    const respond = 'respond' in args ? args.respond : undefined;
    await explain(args.client, interaction, respond).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'telling of an outdated interaction failed'),
    );
  });
}
