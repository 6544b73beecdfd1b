import type { App } from '@slack/bolt';
import { InputError, PlanLimitError } from '../errors.ts';
import { parsePlanRequest } from '../core/plan-request.ts';
import { userMessage } from '../core/user-messages.ts';
import { modalMetadataSchema, PLAN_MODAL_CALLBACK, readPlanModal } from './plan-modal.ts';
import type { SlackAppDeps } from './slack-app.ts';

const SAVE_FAILED = {
  en: 'The plan could not be saved just now. Please submit again.',
  de: 'Der Plan konnte gerade nicht gespeichert werden. Bitte erneut absenden.',
} as const;

/**
 * The form's submission: validated on our side (errors shown under each field), then saved and
 * queued with the view id as idempotency key, so a double click or a Slack retry makes one plan.
 * @see https://api.slack.com/surfaces/modals#displaying_errors
 */
export function registerPlanSubmission(app: App, deps: SlackAppDeps): void {
  app.view(PLAN_MODAL_CALLBACK, async ({ ack, body, view }) => {
    const metadata = modalMetadataSchema.parse(JSON.parse(view.private_metadata));
    const raw = readPlanModal(view.state);
    const workspaceId = body.team?.id ?? body.user.team_id ?? '';
    let request;
    try {
      request = parsePlanRequest(raw, metadata.language);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      await ack({
        response_action: 'errors',
        errors: Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message])),
      });
      return;
    }
    if (deps.service === undefined) {
      await ack({ response_action: 'errors', errors: { existingSystem: SAVE_FAILED[metadata.language] } });
      return;
    }
    const idempotencyKey = `slack:${view.id}`;
    try {
      if (metadata.planNumber === undefined) {
        await deps.service.submit(request, {
          workspaceId,
          platform: 'slack',
          requestedBy: body.user.id,
          idempotencyKey,
          origin: { platform: 'slack', v: 1, channel: metadata.channelId },
        });
      } else {
        await deps.service.rerun({
          workspaceId,
          planNumber: metadata.planNumber,
          changes: { ...request },
          requestedBy: body.user.id,
          idempotencyKey,
          language: metadata.language,
        });
      }
    } catch (error) {
      if (error instanceof InputError) {
        await ack({
          response_action: 'errors',
          errors: Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message])),
        });
        return;
      }
      if (error instanceof PlanLimitError) {
        // Under the form's first field, so it is seen; the form stays open with everything typed.
        const first = view.blocks.find((block) => block.type === 'input')?.block_id ?? 'existingSystem';
        await ack({ response_action: 'errors', errors: { [first]: userMessage(error, metadata.language) } });
        return;
      }
      deps.logger.error({ err: error, viewId: view.id }, 'saving a submitted plan failed');
      await ack({ response_action: 'errors', errors: { existingSystem: SAVE_FAILED[metadata.language] } });
      return;
    }
    await ack();
  });
}
