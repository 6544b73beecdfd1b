import type { Logger } from '../logger.ts';
import type { PlanService } from '../plans/plan-service.ts';
import type { QuestionService } from '../plans/question-service.ts';
import type { FeedbackStore } from '../store/feedback-store.ts';
import type { PlanStore } from '../store/plan-store.ts';
import type { SlackCallObserver } from './slack-client.ts';
import type { SlackSettings } from './slack-settings.ts';

/** What the Slack handlers need from the rest of the app (its own module: every handler imports it). */
export interface SlackAppDeps {
  readonly slack: SlackSettings;
  readonly logger: Logger;
  readonly store: PlanStore;
  readonly feedback: FeedbackStore;
  /** PLAN_APPROVERS: who may approve or request changes; undefined: anyone. */
  readonly approvers?: ReadonlySet<string> | undefined;
  /** Counts requests refused as client faults (metrics). */
  readonly onRefused?: ((reason: string) => void) | undefined;
  /** Counts Web API calls and 429s (metrics). */
  readonly observeCalls?: SlackCallObserver | undefined;
  /** Undefined while no model key is configured: commands then say so instead of opening the form. */
  readonly service: PlanService | undefined;
  /** Questions in plans' threads; undefined while no model key is configured. */
  readonly questions?: QuestionService | undefined;
}
