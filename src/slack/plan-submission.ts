import type { App } from '@slack/bolt';
import type { View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import {
  acceptPlanForm,
  checkPlanForm,
  submitPlanForm,
  type FormProblem,
  type PlanForm,
} from '../plans/form-submission.ts';
import { FORM_TEXTS } from '../render/form-texts.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import { parsePlanRequest } from '../core/plan-request.ts';
import {
  buildPlanModal,
  modalMetadataSchema,
  PLAN_MODAL_CALLBACK,
  readPlanModal,
  readSpecFields,
  SPEC_BLOCKS,
  type ModalMetadata,
} from './plan-modal.ts';
import { slackFileInput } from './slack-spec-file.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { readingSpecView, startedView } from './spec-views.ts';
import { staleFormAnswer } from './unknown-interactions.ts';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

type ViewErrors = { response_action: 'errors'; errors: Record<string, string> };

/** A refused submission as Slack's field errors: under the field concerned, or under the form's first field. */
function errorsOf(
  outcome: FormProblem,
  first: string,
  specBlock: string,
  language: ModalMetadata['language'],
): ViewErrors {
  const errors =
    outcome.kind === 'invalid'
      ? { ...outcome.fieldErrors }
      : outcome.kind === 'bad-spec'
        ? { [specBlock]: outcome.message }
        : { [first]: outcome.kind === 'refused' ? outcome.message : SHARED_TEXTS[language].saveFailed };
  return { response_action: 'errors', errors };
}

/**
 * The form's submission through the shared use case, with the view id as idempotency key (a
 * double click or a Slack retry makes one plan). Problems are shown in the open form, under the
 * field they concern or under its first field, with everything typed kept. A form with a spec
 * is checked at once, answered with a "reading the spec" view, and submitted once the spec is
 * downloaded: Slack's 3 seconds never wait for a download.
 * @see https://api.slack.com/surfaces/modals#displaying_errors
 */
export function registerPlanSubmission(app: App, deps: SlackAppDeps): void {
  app.view(PLAN_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const parsed = modalMetadataSchema.safeParse(parseJson(view.private_metadata));
    if (!parsed.success) {
      // A form an older version opened, whose metadata this version cannot read.
      await ack(staleFormAnswer(view.private_metadata));
      return;
    }
    const metadata = parsed.data;
    const { language } = metadata;
    const first = view.blocks.find((block) => block.type === 'input')?.block_id ?? 'existingSystem';
    const values = readPlanModal(view.state);
    const spec = readSpecFields(view.state);
    if (spec.file !== undefined && spec.url !== undefined) {
      await ack({ response_action: 'errors', errors: { [SPEC_BLOCKS.url]: FORM_TEXTS[language].specBoth } });
      return;
    }
    const form: PlanForm = {
      values,
      language,
      planNumber: metadata.planNumber,
      workspaceId: body.team?.id ?? body.user.team_id ?? '',
      platform: 'slack',
      requestedBy: body.user.id,
      idempotencyKey: `slack:${view.id}`,
      origin: { platform: 'slack', v: 1, channel: metadata.channelId },
      spec:
        spec.file !== undefined
          ? slackFileInput(spec.file, deps.slack)
          : spec.url === undefined
            ? undefined
            : { kind: 'url', url: spec.url },
    };
    const specBlock = spec.file === undefined ? SPEC_BLOCKS.url : SPEC_BLOCKS.file;
    if (form.spec === undefined) {
      const outcome = await acceptPlanForm(deps.service, { ...form, platform: 'slack' }, deps.logger);
      await ack(
        outcome.kind === 'accepted' || outcome.kind === 'taken'
          ? undefined
          : errorsOf(outcome, first, specBlock, language),
      );
      return;
    }
    const early = await checkPlanForm(deps.service, form, deps.logger);
    if (early !== undefined) {
      await ack(errorsOf(early, first, specBlock, language));
      return;
    }
    const sourceName = spec.file?.name ?? spec.url ?? '';
    await ack({ response_action: 'update', view: readingSpecView(metadata, sourceName) });
    await submitWithSpec(deps, client, { viewId: view.id, metadata, form, url: spec.url });
  });
}

/**
 * After the spec is downloaded and read: the plan is submitted and the window says where it
 * is written, or the form comes back with everything typed and the spec's problem above the
 * spec fields. A window the person closed meanwhile gets the problem as an ephemeral message.
 */
async function submitWithSpec(
  deps: SlackAppDeps,
  client: WebClient,
  submission: { viewId: string; metadata: ModalMetadata; form: PlanForm; url: string | undefined },
): Promise<void> {
  const { metadata, form, viewId } = submission;
  const { language } = metadata;
  const outcome = await submitPlanForm(deps.service, form, deps.logger);
  let shown: View;
  let problem: string | undefined;
  if (outcome.kind === 'accepted') {
    shown = startedView(metadata, outcome.submitted);
  } else {
    problem =
      outcome.kind === 'invalid'
        ? Object.values(outcome.fieldErrors).join(' ')
        : outcome.kind === 'failed'
          ? SHARED_TEXTS[language].saveFailed
          : outcome.message;
    const prefill = parsePlanRequest(form.values, language);
    shown = buildPlanModal(metadata, prefill, { problem, url: submission.url });
  }
  try {
    await client.views.update({ view_id: viewId, view: shown });
  } catch (error) {
    deps.logger.warn({ err: error, viewId }, 'the plan form could not be updated after reading the spec');
    if (problem !== undefined) {
      await client.chat
        .postEphemeral({ channel: metadata.channelId, user: form.requestedBy, text: problem })
        .catch((postError: unknown) => deps.logger.warn({ err: postError }, 'telling of the spec problem failed'));
    }
  }
}
