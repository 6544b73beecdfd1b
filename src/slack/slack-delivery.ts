import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { AppError } from '../errors.ts';
import { changeHeadline } from '../core/field-changes.ts';
import { userMessage } from '../core/user-messages.ts';
import type { DeliveryTarget, PlanDelivery, SectionOutline } from '../plans/plan-delivery.ts';
import type { Logger } from '../logger.ts';
import type { MessageRef, RevisionRecord, SectionRecord } from '../store/plan-records.ts';
import { createChannelPacer } from './channel-pacer.ts';
import { voteBlock } from './section-votes.ts';
import { escapeMrkdwn, neutralizeSlackText, sectionMessages } from './slack-markdown.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

export interface SlackDeliveryDeps {
  readonly client: WebClient;
  readonly logger: Logger;
  /** Spacing between posts to one channel (Slack allows about one per second). */
  readonly postIntervalMs: number;
}

const PLACEHOLDER_PREFIX = 'p_';
const clip = (text: string, max: number) => {
  const chars = Array.from(text.replace(/\s+/gu, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
};
const isSlackUser = (id: string) => /^[UW][A-Z0-9]{2,}$/u.test(id);

function errorCodeOf(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Action ids of the parent message's buttons (handled in plan-actions.ts). */
export const RERUN_ACTION = 'plan_rerun';
export const EXPORT_ACTION = 'plan_export';

function actionBlock(target: DeliveryTarget): KnownBlock {
  const t = SLACK_TEXTS[target.revision.request.language];
  const value = `${target.plan.number}:${target.revision.number}`;
  return {
    type: 'actions',
    block_id: 'plan_actions',
    elements: [
      { type: 'button', action_id: RERUN_ACTION, style: 'primary', text: { type: 'plain_text', text: t.rerun }, value },
      { type: 'button', action_id: EXPORT_ACTION, text: { type: 'plain_text', text: t.export }, value },
    ],
  };
}

function parentBlocks(target: DeliveryTarget, status: string): KnownBlock[] {
  const { plan, revision } = target;
  const t = SLACK_TEXTS[revision.request.language];
  const request = revision.request;
  const field = (label: string, value: string) => ({
    type: 'mrkdwn' as const,
    text: `*${label}*\n${escapeMrkdwn(clip(value, 280))}`,
  });
  const by = isSlackUser(revision.requestedBy) ? ` · <@${revision.requestedBy}>` : '';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${t.plan}: ${plan.title}`, 150) } },
    {
      type: 'section',
      fields: [
        field(t.inputs.existingSystem, request.existingSystem),
        field(t.inputs.targetApi, request.targetApi),
        field(t.inputs.useCase, request.useCase),
        field(t.inputs.scale, t.scale(String(request.callsPerSecond), request.dataVolume)),
        field(t.inputs.budget, request.budget),
      ],
    },
  ];
  if (revision.changes.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${t.changed}:* ${escapeMrkdwn(changeHeadline(revision.changes, request.language))}`,
      },
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${t.plan} ${plan.number} · ${t.revision} ${revision.number}${by}` }],
  });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: status }] });
  return blocks;
}

/**
 * Slack as a delivery platform: a parent message (the thread root for revision 1, a reply in
 * the plan's thread for later revisions) and one placeholder reply per section, posted at the
 * start in plan order and replaced in place (`chat.update`) as sections finish, so a retried job
 * updates instead of posting twice. The WebClient retries 429s after Retry-After.
 * @see https://api.slack.com/methods/chat.update
 */
export function createSlackDelivery(deps: SlackDeliveryDeps): PlanDelivery {
  const pacer = createChannelPacer(deps.postIntervalMs);
  const parents = new Map<string, MessageRef>();

  const post = async (channel: string, payload: { text: string; blocks: KnownBlock[]; thread_ts?: string }) => {
    await pacer.wait(channel);
    const response = await deps.client.chat.postMessage({
      channel,
      unfurl_links: false,
      unfurl_media: false,
      ...payload,
    });
    return { channel: response.channel ?? channel, ts: response.ts ?? '' };
  };

  /** The channel to post in: the plan's, or the requester's DM when the bot is not a member. */
  const openParent = async (target: DeliveryTarget, outline: readonly SectionOutline[]): Promise<MessageRef> => {
    const { plan, revision } = target;
    const t = SLACK_TEXTS[revision.request.language];
    const threadTs = plan.threadRef?.ts;
    const payload = { text: `${t.plan}: ${plan.title}`, blocks: parentBlocks(target, t.writing(0, outline.length)) };
    let root: { channel: string; ts: string };
    try {
      root = await post(
        plan.threadRef?.channel ?? plan.channelId ?? '',
        threadTs ? { ...payload, thread_ts: threadTs } : payload,
      );
    } catch (error) {
      const code = errorCodeOf(error);
      if (code !== 'not_in_channel' && code !== 'channel_not_found') throw error;
      deps.logger.warn({ channel: plan.channelId, code }, 'not in the channel; delivering by direct message');
      const dm = await deps.client.conversations.open({ users: plan.createdBy });
      const dmChannel = dm.channel?.id ?? plan.createdBy;
      await post(dmChannel, { text: t.notInChannel(plan.channelId ?? ''), blocks: [] });
      root = await post(dmChannel, payload);
    }
    const thread = threadTs ?? root.ts;
    const ref: Record<string, string> = { channel: root.channel, ts: root.ts, thread_ts: thread };
    for (const section of outline) {
      const placeholder = await post(root.channel, {
        text: t.placeholder(section.number, section.title),
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: t.placeholder(section.number, section.title) } }],
        thread_ts: thread,
      });
      ref[`${PLACEHOLDER_PREFIX}${section.key}`] = placeholder.ts;
    }
    return ref;
  };

  return {
    ordered: false,
    async begin(target, outline, existing) {
      const ref = existing ?? (await openParent(target, outline));
      parents.set(target.revision.id, ref);
      return ref;
    },
    progress() {
      // Placeholders show progress per section; nothing to post per streamed token.
    },
    async section(target, section: SectionRecord) {
      const parent = parents.get(target.revision.id) ?? target.revision.messageRef;
      const channel = parent?.channel ?? '';
      const placeholder = parent?.[`${PLACEHOLDER_PREFIX}${section.key}`];
      const t = SLACK_TEXTS[target.revision.request.language];
      const footer =
        section.missingItems.length > 0
          ? `${t.missing}: ${section.missingItems.map((item) => item.label).join('; ')}`
          : undefined;
      const language = target.revision.request.language;
      // One block of the first message is kept free for the feedback buttons.
      const [text, ...more] = sectionMessages(
        {
          title: section.title,
          number: section.position,
          markdown: section.markdown,
          language,
          ...(footer ? { footer } : {}),
        },
        { maxBlocksPerMessage: 49 },
      );
      if (text === undefined) return undefined;
      const first = { ...text, blocks: [...text.blocks, voteBlock(target.revision.id, section.key, language)] };
      if (placeholder === undefined)
        return post(channel, { ...first, thread_ts: parent?.thread_ts ?? parent?.ts ?? '' });
      await deps.client.chat.update({ channel, ts: placeholder, ...first });
      for (const continuation of more) await post(channel, { ...continuation, thread_ts: parent?.thread_ts ?? '' });
      return { channel, ts: placeholder };
    },
    async finish(target, revision: RevisionRecord) {
      const parent = parents.get(target.revision.id) ?? target.revision.messageRef;
      if (parent?.channel === undefined || parent.ts === undefined) return;
      const t = SLACK_TEXTS[revision.request.language];
      const tokens = (
        revision.usage.inputTokens +
        revision.usage.cacheReadTokens +
        revision.usage.outputTokens
      ).toLocaleString('en-US');
      const status = t.done(
        ((revision.durationMs ?? 0) / 1000).toFixed(1),
        revision.model,
        tokens,
        revision.costUsd.toFixed(4),
      );
      const blocks = [
        ...parentBlocks({ ...target, revision: { ...target.revision, ...revision } }, status),
        actionBlock(target),
      ];
      await deps.client.chat.update({
        channel: parent.channel,
        ts: parent.ts,
        text: `${t.plan}: ${target.plan.title}`,
        blocks,
      });
      if (revision.changeSummary !== undefined) {
        // A short list (one line per section): one markdown block, model text neutralised.
        await post(parent.channel, {
          text: t.whatChanged,
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: t.whatChanged } },
            { type: 'markdown', text: neutralizeSlackText(revision.changeSummary).slice(0, 11_000) },
          ],
          thread_ts: parent.thread_ts ?? parent.ts,
        });
      }
      parents.delete(target.revision.id);
    },
    async fail(target, error: AppError) {
      const parent = parents.get(target.revision.id) ?? target.revision.messageRef;
      const language = target.revision.request.language;
      const t = SLACK_TEXTS[language];
      const text = `${t.failed} ${userMessage(error, language)}`;
      if (parent?.channel !== undefined && parent.ts !== undefined) {
        await deps.client.chat.update({
          channel: parent.channel,
          ts: parent.ts,
          text,
          blocks: parentBlocks(target, text),
        });
        await post(parent.channel, {
          text,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
          thread_ts: parent.thread_ts ?? parent.ts,
        });
      } else if (target.plan.channelId !== undefined) {
        await deps.client.chat.postEphemeral({ channel: target.plan.channelId, user: target.plan.createdBy, text });
      }
      parents.delete(target.revision.id);
    },
  };
}
