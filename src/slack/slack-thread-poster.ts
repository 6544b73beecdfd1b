import type { WebClient } from '@slack/web-api';
import type { PlanDelivery } from '../plans/plan-delivery.ts';
import { createPlanThread } from '../plans/plan-thread.ts';
import type { ThreadPoster } from '../plans/thread-poster.ts';
import type { Logger } from '../logger.ts';
import type { SlackMessageRef } from '../store/message-refs.ts';
import { createChannelPacer } from './channel-pacer.ts';
import { createSlackPlanDisplay } from './slack-plan-display.ts';
import { slackThreadRenderer } from './plan-thread-blocks.ts';
import { platformErrorOf } from './slack-client.ts';
import { slackOriginOf, slackThreadOf } from './slack-refs.ts';
import type { SlackMessagePayload } from './slack-markdown.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { syncPlanCanvas } from './plan-canvas.ts';
import type { PlanStore } from '../store/plan-store.ts';

export interface SlackThreadDeps {
  readonly client: WebClient;
  readonly logger: Logger;
  /** Spacing between posts to one channel (Slack allows about one per second). */
  readonly postIntervalMs: number;
  /** Set: each finished revision is also written to the plan's canvas (the parent links it). */
  readonly store?: PlanStore | undefined;
  /** The client for the canvas and the plan display: rate-limited calls fail at once (default: `client`). */
  readonly bestEffortClient?: WebClient | undefined;
}

/**
 * Slack's side of the plan thread: `chat.postMessage` paced per channel, `chat.update` in place.
 * The WebClient waits out 429s (Retry-After). Where the bot is not in the plan's channel, the
 * plan goes to the requester's direct messages with a line saying why.
 * @see https://api.slack.com/methods/chat.update
 */
export function createSlackThreadPoster(deps: SlackThreadDeps): ThreadPoster<SlackMessagePayload, SlackMessageRef> {
  const pacer = createChannelPacer(deps.postIntervalMs);
  const display = createSlackPlanDisplay({ client: deps.bestEffortClient ?? deps.client, logger: deps.logger });
  // The reference's threadTs names the thread's root: the message itself when it starts one.
  const post = async (channel: string, payload: SlackMessagePayload, threadTs?: string): Promise<SlackMessageRef> => {
    await pacer.wait(channel);
    const response = await deps.client.chat.postMessage({
      channel,
      unfurl_links: false,
      unfurl_media: false,
      ...payload,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    });
    const ts = response.ts ?? '';
    return { platform: 'slack', v: 1, channel: response.channel ?? channel, ts, threadTs: threadTs ?? ts };
  };

  return {
    render: slackThreadRenderer,
    async postParent(target, payload) {
      const { plan } = target;
      const thread = slackThreadOf(plan);
      const channel = thread?.channel ?? slackOriginOf(plan) ?? '';
      try {
        return await post(channel, payload, thread?.ts);
      } catch (error) {
        const code = platformErrorOf(error);
        if (code !== 'not_in_channel' && code !== 'channel_not_found') throw error;
        deps.logger.warn({ channel, code }, 'not in the channel; delivering by direct message');
        const dm = await deps.client.conversations.open({ users: plan.createdBy });
        const dmChannel = dm.channel?.id ?? plan.createdBy;
        const why = SLACK_TEXTS[target.revision.request.language].notInChannel(channel);
        await post(dmChannel, { text: why, blocks: [] });
        return await post(dmChannel, payload);
      }
    },
    async reply(parent, payload) {
      return (await post(parent.channel, payload, parent.threadTs ?? parent.ts)).ts;
    },
    async update(parent, ts, payload) {
      await deps.client.chat.update({ channel: parent.channel, ts, ...payload });
    },
    openProgress: (parent, target, outline) => display.open(parent, target, outline),
    progress: (parent, target, event) => display.progress(parent, target, event),
    closeProgress: (target, failure) => display.close(target, failure),
    messageRef: (parent, ts) => ({ platform: 'slack', v: 1, channel: parent.channel, ts }),
    ownRef: (stored) => (stored?.platform === 'slack' ? stored : undefined),
    async notifyUnthreaded(target, message) {
      const channel = slackOriginOf(target.plan);
      if (channel === undefined) return;
      const text = slackThreadRenderer.failure(target, message).text;
      await deps.client.chat.postEphemeral({ channel, user: target.plan.createdBy, text });
    },
  };
}

/** Plans delivered into Slack threads; with a store, each finished revision also into the plan's canvas. */
export function createSlackPlanThread(deps: SlackThreadDeps): PlanDelivery {
  const created = createPlanThread(createSlackThreadPoster(deps));
  const thread: PlanDelivery = {
    ...created,
    // A plan taken at the door and refused after all: the requester hears it where they asked.
    async refused(origin, requestedBy, message) {
      if (origin.platform !== 'slack') return;
      await deps.client.chat.postEphemeral({ channel: origin.channel, user: requestedBy, text: message });
    },
  };
  const { store } = deps;
  if (store === undefined) return thread;
  return {
    ...thread,
    async finish(target, revision, sections) {
      // The plan as stored now: its thread (set while this revision began) and its canvas.
      const plan = (await store.findPlanById(target.plan.workspaceId, target.plan.id)) ?? target.plan;
      const client = deps.bestEffortClient ?? deps.client;
      const canvas = await syncPlanCanvas({ client, store, logger: deps.logger }, plan, {
        ...revision,
        sections,
      });
      await thread.finish({ ...target, plan: { ...plan, canvas } }, revision, sections);
    },
  };
}
