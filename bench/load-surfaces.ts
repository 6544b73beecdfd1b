/**
 * Where the load bench's burst of plans comes in: Slack (view submissions to /slack/events) or
 * Teams (Action.Execute submits to /api/messages), and how each platform shows a finished plan.
 */
import { latest, type FakeBotConnector } from '../test/fakes/fake-bot-connector.ts';
import { executeActivity, type TeamsScene } from '../test/fakes/fake-bot-connector-activities.ts';
import type { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { planSubmissionBody, SAMPLE_PLAN_FORM, type PlanForm } from '../test/helpers/plan-form.ts';
import { signSlackRequest } from '../test/helpers/slack-signing.ts';
import type { Answer, PreparedRequest } from './load-generator.ts';

export type LoadSurfaceName = 'slack' | 'teams';

/** What each user types into the form. */
const FORM: PlanForm = { ...SAMPLE_PLAN_FORM, scaleNotes: 'Black Friday peaks at 5x' };

export interface LoadSurface {
  readonly name: LoadSurfaceName;
  /** The `index`-th user's form, ready to send. */
  submission(index: number): PreparedRequest;
  /** Whether the answer is the platform's acknowledgement of a taken form. */
  acknowledged(answer: Answer): boolean;
  /** Whether the `index`-th plan shows done where it was asked for. */
  shownDone(index: number): boolean;
  /** Whether that plan's messages are exactly its parent and its sections in order, each posted once, none replaced twice. */
  wellFormed(index: number, headers: readonly string[]): boolean;
  /** When the last plan was shown done (Date.now() of the fake's call). */
  lastDoneAt(): number;
}

const hasDone = (value: unknown) => value !== undefined && JSON.stringify(value).includes('Done in');

export const slackChannelOf = (index: number) => `C0LOAD${String(index).padStart(4, '0')}`;

export function slackLoadSurface(slack: FakeSlackApi, events: string, signingSecret: string): LoadSurface {
  return {
    name: 'slack',
    submission(index) {
      const body = planSubmissionBody({
        viewId: `V0LOAD${index}`,
        channelId: slackChannelOf(index),
        teamId: slack.teamId,
        userId: `U0LOAD${index}`,
        form: FORM,
      });
      const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, signingSecret) };
      return { url: events, body, headers };
    },
    // Bolt's plain ack: an empty 200.
    acknowledged: (answer) => answer.status === 200 && answer.body === '',
    shownDone: (index) => hasDone(slack.messages(slackChannelOf(index))[0]?.blocks),
    wellFormed(index, headers) {
      const channel = slackChannelOf(index);
      const root = slack.messages(channel)[0];
      // The durable record: the parent and its sections (Slack's plan display aside).
      const messages = root === undefined ? [] : slack.planThread(channel, root.ts);
      if (root === undefined || messages.length !== 1 + headers.length) return false;
      const replies = messages.slice(1);
      const seen = replies.map((reply) => (reply.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text);
      const posts = slack.callsTo('chat.postMessage').filter((call) => call.body['channel'] === channel);
      const updates = slack
        .callsTo('chat.update')
        .filter((call) => call.body['channel'] === channel)
        .map((call) => String(call.body['ts']));
      // Each message posted once; the parent updated once (done); a section replaces its placeholder
      // once, or (with Slack's plan display) is posted as it is.
      const updatedOnce = new Set(updates).size === updates.length;
      return (
        JSON.stringify(seen) === JSON.stringify(headers) &&
        posts.length === messages.length &&
        updatedOnce &&
        updates.includes(root.ts)
      );
    },
    lastDoneAt: () =>
      Math.max(
        ...slack
          .callsTo('chat.update')
          .filter((call) => hasDone(call.body['blocks']))
          .map((call) => call.at),
      ),
  };
}

/** Each user in a 1:1 chat with the bot, all in one organisation. */
function teamsScene(connector: FakeBotConnector, index: number): TeamsScene {
  return {
    serviceUrl: connector.url,
    tenantId: 'tenant-load',
    user: {
      id: `29:load-${index}`,
      name: `Load User ${index}`,
      aadObjectId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    },
    kind: 'personal',
    conversationId: `a:load-${index}`,
  };
}

export function teamsLoadSurface(connector: FakeBotConnector, endpoint: string): LoadSurface {
  const conversation = (index: number) => teamsScene(connector, index).conversationId;
  return {
    name: 'teams',
    submission(index) {
      const activity = executeActivity(teamsScene(connector, index), 'plan.submit', {
        action: 'plan.submit',
        formLanguage: 'en',
        ...FORM,
      });
      return { url: endpoint, body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } };
    },
    // The invoke's answer: 200 with the card that replaces the form ("Working on it: …").
    acknowledged: (answer) => answer.status === 200 && answer.body.includes('Working on it'),
    shownDone: (index) => hasDone(latest(connector.messages(conversation(index))[0])),
    wellFormed(index, headers) {
      const messages = connector.messages(conversation(index));
      if (messages.length !== 1 + headers.length) return false;
      const sections = messages.slice(1).map((message) => JSON.stringify(latest(message)));
      return headers.every((header, position) => sections[position]?.includes(header) === true);
    },
    lastDoneAt: () =>
      Math.max(...connector.calls.filter((call) => call.method === 'PUT' && hasDone(call.body)).map((call) => call.at)),
  };
}
