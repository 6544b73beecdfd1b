import type { View } from '@slack/types';
import { FORM_TEXTS } from '../render/form-texts.ts';
import type { CreatedRevision } from '../store/plan-records.ts';
import type { ModalMetadata } from './plan-modal.ts';
import { escapeMrkdwn } from './slack-markdown-neutralize.ts';
import { SLACK_TEXTS } from './slack-texts.ts';

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

/** The window's title for the form it replaces (new plan or re-run). */
const titleOf = (metadata: ModalMetadata) =>
  plain(
    metadata.planNumber === undefined ? FORM_TEXTS[metadata.language].title : FORM_TEXTS[metadata.language].titleRerun,
  );

/**
 * Shown in place of the form while its spec is downloaded and read: no submit button, so the
 * form cannot be sent twice; its metadata kept for the form that may come back.
 */
export function readingSpecView(metadata: ModalMetadata, source: string): View {
  const t = SLACK_TEXTS[metadata.language].specForm;
  return {
    type: 'modal',
    private_metadata: JSON.stringify(metadata),
    title: titleOf(metadata),
    close: plain(t.done),
    blocks: [
      { type: 'section', text: mrkdwn(t.readingSpec(escapeMrkdwn(source))) },
      { type: 'context', elements: [mrkdwn(t.readingSpecNote)] },
    ],
  };
}

/** Shown once the plan is queued: which spec grounds it and where it is written. */
export function startedView(metadata: ModalMetadata, submitted: CreatedRevision): View {
  const t = SLACK_TEXTS[metadata.language].specForm;
  const { plan, revision } = submitted;
  const spec =
    revision.spec === undefined ? '' : `*${escapeMrkdwn(`${revision.spec.title} ${revision.spec.version}`)}*`;
  const where =
    metadata.planNumber === undefined ? t.startedWhere(metadata.channelId) : t.startedRerun(revision.number);
  return {
    type: 'modal',
    title: titleOf(metadata),
    close: plain(t.done),
    blocks: [
      { type: 'section', text: mrkdwn(t.started(plan.number, spec)) },
      { type: 'context', elements: [mrkdwn(where)] },
    ],
  };
}
