import {
  TeamsActivityHandler,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import { LANGUAGES } from '../prompts/section-keys.ts';
import { cardAttachment, cardMessage, type AdaptiveCard } from './adaptive-card.ts';
import { planCard, storedState } from './plan-card.ts';
import { buildPlanFormCard, VERBS } from './plan-form-card.ts';
import { greetingCard, noticeCard } from './teams-cards.ts';
import { newPlanForm, planSummaryCard, runCommand } from './teams-commands.ts';
import { languageOf, tenantOf } from './teams-activity.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { specAttachmentOf, receiveSpecAttachment } from './spec-attachment.ts';
import { referenceOf } from './teams-connector.ts';
import { submitPlanFormCard, type SubmitOutcome } from './teams-submission.ts';
import { badRequestResponse, cardResponse, messageResponse } from './invoke-responses.ts';
import { answerReview, REVIEW_VERBS } from './review-actions.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';
import { FEEDBACK_INVOKE, receiveFeedback } from './feedback-loop.ts';

const actionDataSchema = z.looseObject({
  action: z.string().optional(),
  planNumber: z.coerce.number().int().positive().optional(),
  fromRevision: z.coerce.number().int().positive().optional(),
  formLanguage: z.enum(LANGUAGES).optional(),
});

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** A form's outcome as the message that replaces the form. */
function outcomeMessage(outcome: SubmitOutcome): Partial<Activity> {
  const t = TEAMS_TEXTS[outcome.language];
  return cardMessage(outcome.card, outcome.accepted ? t.plan : outcome.later === undefined ? t.formError : t.plan);
}

/** A notice card's text (a dialog closes with text only). */
function cardText(card: AdaptiveCard): string {
  const first = card.body[0];
  return first?.type === 'TextBlock' ? first.text : '';
}

/** A dialog (task module) showing `card`. */
function dialog(card: AdaptiveCard, title: string): TaskModuleResponse {
  return { task: { type: 'continue', value: { title, card: cardAttachment(card), width: 'large', height: 'large' } } };
}

/**
 * The Teams side of the planner: commands in chats and channels, the form as a card (Action.Execute
 * or Action.Submit), as a dialog (`task/fetch`) and from the message extension
 * (`composeExtension/fetchTask`), the plan card's buttons, and a greeting on install.
 * @see https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview
 */
export class PlanBot extends TeamsActivityHandler {
  private readonly deps: TeamsBotDeps;

  constructor(deps: TeamsBotDeps) {
    super();
    this.deps = deps;
    this.onMessage(async (context, next) => {
      const value = record(context.activity.value);
      const attachment = specAttachmentOf(context.activity);
      if (value.action === VERBS.submit) await this.submitFromMessage(context, value);
      else if (attachment !== undefined) await receiveSpecAttachment(this.deps, context, attachment);
      else await runCommand(this.deps, context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if (context.activity.membersAdded?.some((member) => member.id === botId) === true) {
        const language = languageOf(context.activity);
        await context.sendActivity(cardMessage(greetingCard(language), TEAMS_TEXTS[language].greetingTitle));
      }
      await next();
    });
  }

  /** Action.Submit arrives as a message with `value`: the answer replaces the form's message. */
  private async submitFromMessage(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const outcome = await submitPlanFormCard(this.deps, context.activity, value);
    const message = outcomeMessage(outcome);
    const formId = context.activity.replyToId;
    if (formId === undefined) await context.sendActivity(message);
    else await context.updateActivity({ ...message, id: formId });
    this.showLater(context.activity, outcome, formId);
  }

  /**
   * A form whose spec is read after the answer: its outcome replaces the message `activityId`
   * (the card that said "reading"), or, for a dialog that has closed, comes as a new message
   * when the form must be shown again (a plan that started posts its own thread).
   */
  private showLater(activity: Partial<Activity>, outcome: SubmitOutcome, activityId: string | undefined): void {
    const { connector, logger } = this.deps;
    const reference = referenceOf(activity);
    if (outcome.later === undefined || connector === undefined || reference === undefined) return;
    outcome.later
      .then(async (final) => {
        if (activityId !== undefined) await connector.update(reference, activityId, outcomeMessage(final));
        else if (!final.accepted) await connector.send(reference, outcomeMessage(final));
      })
      .catch((error: unknown) => logger.error({ err: error }, 'showing a form after reading its spec failed'));
  }

  /** Teams' feedback loop on a message the model wrote; every other invoke as botbuilder routes it. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === FEEDBACK_INVOKE) return receiveFeedback(this.deps, context.activity);
    return super.onInvokeActivity(context);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const data = record(value.action.data);
    const parsed = actionDataSchema.safeParse(data);
    if (!parsed.success) return badRequestResponse('malformed action data');
    const { planNumber, fromRevision } = parsed.data;
    const language = parsed.data.formLanguage ?? languageOf(context.activity);
    const workspaceId = tenantOf(context.activity);
    const t = TEAMS_TEXTS[language];
    switch (value.action.verb) {
      case VERBS.submit: {
        const outcome = await submitPlanFormCard(this.deps, context.activity, data);
        this.showLater(context.activity, outcome, context.activity.replyToId);
        return cardResponse(outcome.card);
      }
      case VERBS.openForm:
        return cardResponse(await newPlanForm(this.deps, context, language, ''));
      case VERBS.rerun:
      case VERBS.cancel: {
        if (workspaceId === undefined || planNumber === undefined) return cardResponse(noticeCard(t.noTenant));
        const cancel = value.action.verb === VERBS.cancel;
        const plan = await this.deps.store.findPlan(workspaceId, planNumber);
        const revision = await this.deps.store.getRevision(workspaceId, planNumber, cancel ? fromRevision : undefined);
        if (plan === undefined || revision === undefined) return cardResponse(noticeCard(t.noPlan(String(planNumber))));
        if (cancel) return cardResponse(planCard(plan, revision, storedState(revision, t.failed)));
        return cardResponse(
          buildPlanFormCard({
            language: languageOf(context.activity),
            prompts: this.deps.prompts,
            values: revision.request,
            planNumber,
            fromRevision,
          }),
        );
      }
      case VERBS.show: {
        if (workspaceId === undefined || planNumber === undefined) return messageResponse(t.noTenant);
        const { card, summary } = await planSummaryCard(this.deps, workspaceId, planNumber, language);
        await context.sendActivity(cardMessage(card, summary));
        return messageResponse(t.shown(planNumber));
      }
      default:
        if (REVIEW_VERBS.has(value.action.verb)) {
          const target = { planNumber, revisionNumber: fromRevision, reason: data['reason'] };
          return answerReview(this.deps, context, value.action.verb, target);
        }
        return badRequestResponse(`unknown verb ${value.action.verb}`);
    }
  }

  /** A dialog with the form (a card's `task/fetch` button). */
  protected override async handleTeamsTaskModuleFetch(context: TurnContext): Promise<TaskModuleResponse> {
    return this.formDialog(context);
  }

  protected override async handleTeamsTaskModuleSubmit(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return this.submitDialog(context, record(request.data));
  }

  /** The message extension's action command: the same form, as a dialog. */
  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
  ): Promise<MessagingExtensionActionResponse> {
    return this.formDialog(context);
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return this.submitDialog(context, record(action.data));
  }

  private async formDialog(context: TurnContext): Promise<TaskModuleResponse> {
    const language = languageOf(context.activity);
    // Dialogs submit with Action.Submit (task/submit); Action.Execute is for cards in messages.
    return dialog(await newPlanForm(this.deps, context, language, '', 'submit'), TEAMS_TEXTS[language].plan);
  }

  /** Errors keep the dialog open with the form; success closes it with a short message. */
  private async submitDialog(context: TurnContext, data: Record<string, unknown>): Promise<TaskModuleResponse> {
    const outcome = await submitPlanFormCard(this.deps, context.activity, data, 'submit');
    this.showLater(context.activity, outcome, undefined);
    if (outcome.later !== undefined) return { task: { type: 'message', value: cardText(outcome.card) } };
    if (!outcome.accepted) return dialog(outcome.card, TEAMS_TEXTS[outcome.language].plan);
    const title = outcome.card.body[0];
    return {
      task: { type: 'message', value: title?.type === 'TextBlock' ? title.text : TEAMS_TEXTS[outcome.language].plan },
    };
  }
}
