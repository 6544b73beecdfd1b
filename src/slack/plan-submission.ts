import type { App } from '@slack/bolt';
import { submitPlanForm } from '../plans/form-submission.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import { modalMetadataSchema, PLAN_MODAL_CALLBACK, readPlanModal } from './plan-modal.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';

/**
 * The form's submission through the shared use case, with the view id as idempotency key (a
 * double click or a Slack retry makes one plan). Problems are shown in the open form, under the
 * field they concern or under its first field, with everything typed kept.
 * @see https://api.slack.com/surfaces/modals#displaying_errors
 */
export function registerPlanSubmission(app: App, deps: SlackAppDeps): void {
  app.view(PLAN_MODAL_CALLBACK, async ({ ack, body, view }) => {
    const metadata = modalMetadataSchema.parse(JSON.parse(view.private_metadata));
    const { language } = metadata;
    const outcome = await submitPlanForm(
      deps.service,
      {
        values: readPlanModal(view.state),
        language,
        planNumber: metadata.planNumber,
        workspaceId: body.team?.id ?? body.user.team_id ?? '',
        platform: 'slack',
        requestedBy: body.user.id,
        idempotencyKey: `slack:${view.id}`,
        origin: { platform: 'slack', v: 1, channel: metadata.channelId },
      },
      deps.logger,
    );
    if (outcome.kind === 'accepted') {
      await ack();
      return;
    }
    const first = view.blocks.find((block) => block.type === 'input')?.block_id ?? 'existingSystem';
    const errors =
      outcome.kind === 'invalid'
        ? { ...outcome.fieldErrors }
        : { [first]: outcome.kind === 'refused' ? outcome.message : SHARED_TEXTS[language].saveFailed };
    await ack({ response_action: 'errors', errors });
  });
}
