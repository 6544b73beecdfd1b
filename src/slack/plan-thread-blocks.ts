import type { KnownBlock } from '@slack/types';
import { changeHeadline } from '../core/field-changes.ts';
import { clip } from '../core/text.ts';
import type { DeliveryTarget } from '../plans/plan-delivery.ts';
import type { ThreadRenderer } from '../plans/thread-poster.ts';
import { revisionFacts, parentStatus } from '../render/plan-facts.ts';
import type { RevisionRecord } from '../store/plan-records.ts';
import { APPROVE_ACTION, CHANGES_ACTION, EXPORT_ACTION, RERUN_ACTION } from './action-ids.ts';
import { REVIEW_TEXTS, reviewLine } from '../render/review-texts.ts';
import type { DecisionRecord } from '../store/decisions.ts';
import type { PlanCanvas } from '../store/plan-canvas.ts';
import { feedbackBlock } from './section-votes.ts';
import { escapeMrkdwn, neutralizeSlackText, sectionMessages, type SlackMessagePayload } from './slack-markdown.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

const isSlackUser = (id: string) => /^[UW][A-Z0-9]{2,}$/u.test(id);
/** A "what changed" is one line per section; this keeps it well inside a markdown block's 12,000. */
const MAX_CHANGES_CHARS = 11_000;

function actionBlock(target: DeliveryTarget): KnownBlock {
  const { language } = target.revision.request;
  const t = SLACK_TEXTS[language];
  const value = `${target.plan.number}:${target.revision.number}`;
  const button = (action_id: string, text: string, style?: 'primary') => ({
    type: 'button' as const,
    action_id,
    text: { type: 'plain_text' as const, text },
    value,
    ...(style === undefined ? {} : { style }),
  });
  return {
    type: 'actions',
    block_id: 'plan_actions',
    elements: [
      button(RERUN_ACTION, t.rerun, 'primary'),
      button(EXPORT_ACTION, t.export),
      button(APPROVE_ACTION, REVIEW_TEXTS[language].approve),
      button(CHANGES_ACTION, REVIEW_TEXTS[language].requestChanges),
    ],
  };
}

/** The plan as a canvas: a link, or why the workspace has none (the export is the fallback). */
function canvasBlocks(canvas: PlanCanvas | undefined, revision: RevisionRecord): KnownBlock[] {
  const t = SLACK_TEXTS[revision.request.language].canvas;
  if (canvas === undefined) return [];
  const text =
    canvas.kind === 'unavailable'
      ? t.unavailable(escapeMrkdwn(canvas.error))
      : canvas.url === undefined
        ? t.linkless
        : t.link(canvas.url);
  return [{ type: 'context', block_id: 'plan_canvas', elements: [{ type: 'mrkdwn', text }] }];
}

/** The revision's review state under the status line: in review, approved by, changes requested by. */
function reviewBlock(revision: RevisionRecord, review: DecisionRecord | undefined): KnownBlock {
  const who = (id: string) => (isSlackUser(id) ? `<@${id}>` : escapeMrkdwn(id));
  const icon = review === undefined ? ':mag:' : review.kind === 'approved' ? ':white_check_mark:' : ':raised_hand:';
  const line = reviewLine(
    review === undefined ? undefined : { ...review, reason: review.reason && escapeMrkdwn(review.reason) },
    revision.request.language,
    who,
  );
  return { type: 'context', block_id: 'plan_review', elements: [{ type: 'mrkdwn', text: `${icon} ${line}` }] };
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
    if (state.kind === 'done') {
      blocks.push(
        reviewBlock(revision, state.review),
        ...canvasBlocks(target.plan.canvas, revision),
        actionBlock(target),
      );
    }
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
    return [{ ...first, blocks: [...first.blocks, feedbackBlock(target.revision.id, section.key, language)] }, ...more];
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
