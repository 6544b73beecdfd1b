import type { KnownBlock } from '@slack/types';
import { changeHeadline } from '../core/field-changes.ts';
import { clip } from '../core/text.ts';
import type { DeliveryTarget } from '../plans/plan-delivery.ts';
import type { ThreadRenderer } from '../plans/thread-poster.ts';
import { revisionFacts, parentStatus } from '../render/plan-facts.ts';
import type { RevisionRecord } from '../store/plan-records.ts';
import { EXPORT_ACTION, RERUN_ACTION } from './action-ids.ts';
import { voteBlock } from './section-votes.ts';
import { escapeMrkdwn, neutralizeSlackText, sectionMessages, type SlackMessagePayload } from './slack-markdown.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

const isSlackUser = (id: string) => /^[UW][A-Z0-9]{2,}$/u.test(id);
/** A "what changed" is one line per section; this keeps it well inside a markdown block's 12,000. */
const MAX_CHANGES_CHARS = 11_000;

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

/** The parent: the plan's inputs, what changed, plan and revision numbers, and its state. */
function parentBlocks(target: DeliveryTarget, revision: RevisionRecord, status: string): KnownBlock[] {
  const { plan } = target;
  const { request } = revision;
  const t = SLACK_TEXTS[request.language];
  const by = isSlackUser(revision.requestedBy) ? ` · <@${revision.requestedBy}>` : '';
  const changed = escapeMrkdwn(changeHeadline(revision.changes, request.language));
  return [
    { type: 'header', text: { type: 'plain_text', text: clip(`${t.plan}: ${plan.title}`, 150) } },
    {
      type: 'section',
      fields: revisionFacts(revision).map((fact) => ({
        type: 'mrkdwn' as const,
        text: `*${fact.label}*\n${escapeMrkdwn(fact.value)}`,
      })),
    },
    ...(revision.changes.length === 0
      ? []
      : [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: `*${t.changed}:* ${changed}` } }]),
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${t.plan} ${plan.number} · ${t.revision} ${revision.number}${by}` }],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: status }] },
  ];
}

const notice = (text: string): SlackMessagePayload => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/** The plan thread in Block Kit. */
export const slackThreadRenderer: ThreadRenderer<SlackMessagePayload> = {
  parent(target, revision, state) {
    const t = SLACK_TEXTS[revision.request.language];
    const status = parentStatus(revision, state, t);
    const blocks = parentBlocks(target, revision, status);
    if (state.kind === 'done') blocks.push(actionBlock(target));
    return { text: state.kind === 'failed' ? status : `${t.plan}: ${target.plan.title}`, blocks };
  },
  placeholder(target, section) {
    return notice(SLACK_TEXTS[target.revision.request.language].placeholder(section.number, section.title));
  },
  section(target, { section, footer }) {
    const { language } = target.revision.request;
    const input = { title: section.title, number: section.position, markdown: section.markdown, language, footer };
    // One block of the first message is kept free for the feedback buttons.
    const [first, ...more] = sectionMessages(input, { maxBlocksPerMessage: 49 });
    if (first === undefined) return [];
    return [{ ...first, blocks: [...first.blocks, voteBlock(target.revision.id, section.key, language)] }, ...more];
  },
  changes(target, summary) {
    const t = SLACK_TEXTS[target.revision.request.language];
    return {
      text: t.whatChanged,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: t.whatChanged } },
        { type: 'markdown', text: neutralizeSlackText(summary).slice(0, MAX_CHANGES_CHARS) },
      ],
    };
  },
  failure(target, message) {
    return notice(`${SLACK_TEXTS[target.revision.request.language].failed} ${message}`);
  },
};
