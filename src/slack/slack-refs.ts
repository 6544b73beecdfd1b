import type { SlackMessageRef } from '../store/message-refs.ts';
import type { PlanRecord } from '../store/plan-records.ts';

/** The root message of a Slack plan's thread, once its first revision posted. */
export function slackThreadOf(plan: PlanRecord): SlackMessageRef | undefined {
  return plan.threadRef?.platform === 'slack' ? plan.threadRef : undefined;
}

/** The channel a Slack plan was asked for in. */
export function slackOriginOf(plan: PlanRecord): string | undefined {
  return plan.origin?.platform === 'slack' ? plan.origin.channel : undefined;
}
