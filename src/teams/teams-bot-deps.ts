import type { Logger } from '../logger.ts';
import type { PlanService } from '../plans/plan-service.ts';
import type { QuestionService } from '../plans/question-service.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { FeedbackStore } from '../store/feedback-store.ts';
import type { TeamsConnector } from './teams-connector.ts';

/** What the Teams handlers need from the rest of the app. */
export interface TeamsBotDeps {
  readonly logger: Logger;
  readonly store: PlanStore;
  /** Votes from Teams' feedback loop on section messages and answers. */
  readonly feedback: FeedbackStore;
  readonly prompts: PromptLibrary;
  /** PLAN_APPROVERS: who may approve or request changes (AAD object ids); undefined: anyone. */
  readonly approvers?: ReadonlySet<string> | undefined;
  /** Undefined while no model key is configured: the bot says so instead of showing the form. */
  readonly service: PlanService | undefined;
  /** Questions about a conversation's plan; undefined while no model key is configured. */
  readonly questions?: QuestionService | undefined;
  /**
   * Posts and updates messages outside a turn: a form whose spec is downloaded after the invoke's
   * answer is replaced once it is read. Without it the download happens within the turn.
   */
  readonly connector?: TeamsConnector | undefined;
}
