import type { App } from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Language } from '../prompts/section-keys.ts';
import type { PlanSummary } from '../store/plan-records.ts';
import type { PromptFeedback } from '../store/feedback-store.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { localeOf } from './slack-locale.ts';
import { escapeMrkdwn } from './slack-markdown.ts';
import { OPEN_ACTION, RERUN_ACTION } from './action-ids.ts';
import { slackThreadOf } from './slack-refs.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { planRowState } from '../render/review-texts.ts';
import { helpfulShare, tallyText } from './vote-format.ts';

const MINE = 5;
const RECENT = 10;
const PROMPT_VERSIONS = 3;

type Texts = (typeof SLACK_TEXTS)[Language] & { readonly language: Language };
/** Plans shown under "Waiting for review". */
const WAITING = 5;
const plain = (text: string) => ({ type: 'plain_text' as const, text });

export interface HomeContent {
  readonly language: Language;
  readonly command: string;
  /** Finished plans whose latest revision has no decision yet. */
  readonly waiting: readonly PlanSummary[];
  readonly mine: readonly PlanSummary[];
  readonly recent: readonly PlanSummary[];
  readonly permalinks: ReadonlyMap<number, string>;
  readonly feedback: readonly PromptFeedback[];
}

function planBlocks(plan: PlanSummary, t: Texts, link: string | undefined, section: string): KnownBlock[] {
  const date = plan.createdAt.toISOString().slice(0, 10);
  const value = `${plan.number}:${plan.latestRevision}`;
  const button = (id: string, text: string) => ({ type: 'button' as const, action_id: id, text: plain(text), value });
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${plan.number}* · ${escapeMrkdwn(plan.title)}\n${t.revisions(plan.latestRevision)} · ${planRowState(plan, t.language)} · ${date} · <@${plan.createdBy}>`,
      },
    },
    {
      type: 'actions',
      block_id: `${section}_${plan.number}`,
      elements: [
        ...(link === undefined ? [] : [{ ...button(OPEN_ACTION, t.home.open), url: link }]),
        button(RERUN_ACTION, t.rerun),
      ],
    },
  ];
}

function feedbackText(feedback: readonly PromptFeedback[], t: Texts['home']): string {
  if (feedback.length === 0) return t.noFeedback;
  return feedback
    .map((entry) => {
      const share = helpfulShare(entry.total);
      return t.prompt(
        escapeMrkdwn(entry.promptVersion),
        tallyText(entry.total),
        share === undefined ? '' : t.helpful(share),
      );
    })
    .join('\n');
}

/** The App Home tab: the user's and the workspace's recent plans, and feedback per prompt version. */
export function buildHomeView(content: HomeContent): View {
  const t = { ...SLACK_TEXTS[content.language], language: content.language };
  const list = (title: string, plans: readonly PlanSummary[], section: string): KnownBlock[] => [
    { type: 'header', text: plain(title) },
    ...(plans.length === 0
      ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: t.home.none }] }]
      : plans.flatMap((plan) => planBlocks(plan, t, content.permalinks.get(plan.number), section))),
  ];
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: plain(t.home.title) },
      { type: 'section', text: { type: 'mrkdwn', text: t.home.intro(content.command) } },
      { type: 'divider' },
      ...list(t.home.waiting, content.waiting, 'waiting'),
      { type: 'divider' },
      ...list(t.home.mine, content.mine, 'mine'),
      { type: 'divider' },
      ...list(t.home.recent, content.recent, 'recent'),
      { type: 'divider' },
      { type: 'header', text: plain(t.home.feedback) },
      { type: 'section', text: { type: 'mrkdwn', text: feedbackText(content.feedback, t.home) } },
    ],
  };
}

async function permalinksOf(client: WebClient, plans: readonly PlanSummary[]): Promise<Map<number, string>> {
  const threads = new Map(plans.map((plan) => [plan.number, slackThreadOf(plan)]));
  const entries = await Promise.all(
    [...threads].map(async ([number, thread]) => {
      if (thread === undefined) return undefined;
      const link = await client.chat
        .getPermalink({ channel: thread.channel, message_ts: thread.ts })
        .catch(() => undefined);
      return link?.permalink === undefined ? undefined : ([number, link.permalink] as const);
    }),
  );
  return new Map(entries.filter((entry) => entry !== undefined));
}
/** Publishes the home tab whenever a user opens it; "Open" links need only an ack. */
export function registerAppHome(app: App, deps: SlackAppDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const workspaceId = body.team_id;
    const [language, inReview, mine, recent, feedback] = await Promise.all([
      localeOf(client, event.user),
      deps.store.listPlans(workspaceId, { review: 'in_review', limit: WAITING * 2 }),
      deps.store.listPlans(workspaceId, { createdBy: event.user, limit: MINE }),
      deps.store.listPlans(workspaceId, { limit: RECENT }),
      deps.feedback.promptFeedback(workspaceId, { limit: PROMPT_VERSIONS }),
    ]);
    const waiting = inReview.filter((plan) => plan.latestStatus === 'done').slice(0, WAITING);
    const permalinks = await permalinksOf(client, [...waiting, ...mine, ...recent]);
    const content = { language, command: deps.slack.command, waiting, mine, recent, permalinks, feedback };
    await client.views.publish({ user_id: event.user, view: buildHomeView(content) });
  });
  app.action(OPEN_ACTION, async ({ ack }) => {
    await ack();
  });
}
