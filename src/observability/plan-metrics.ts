import { Counter, Histogram, type Registry } from 'prom-client';

/** How long plans take, what their model calls cost, and which plans limits refused. */
export interface PlanMetrics {
  readonly planDuration: Histogram<'platform' | 'strategy' | 'status'>;
  readonly firstSection: Histogram<'platform' | 'strategy'>;
  readonly modelTokens: Counter<'provider' | 'model' | 'kind'>;
  readonly modelCost: Counter<'provider' | 'model'>;
  readonly modelErrors: Counter<'provider' | 'code'>;
  readonly limitRefusals: Counter<'scope'>;
  readonly answers: Counter<'outcome'>;
  readonly feedback: Counter<'target' | 'vote'>;
}

/** Registers the plan and model metrics in `registers`. */
export function createPlanMetrics(registers: Registry[]): PlanMetrics {
  return {
    planDuration: new Histogram({
      name: 'planner_plan_duration_seconds',
      help: 'Time from a revision starting to its end, by platform, strategy and outcome',
      labelNames: ['platform', 'strategy', 'status'] as const,
      buckets: [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600],
      registers,
    }),
    firstSection: new Histogram({
      name: 'planner_plan_first_section_seconds',
      help: 'Time from a revision starting to its first finished section',
      labelNames: ['platform', 'strategy'] as const,
      buckets: [1, 2, 5, 10, 15, 20, 30, 45, 60, 120],
      registers,
    }),
    modelTokens: new Counter({
      name: 'planner_model_tokens_total',
      help: 'Model tokens of completed model calls (every attempt, failed plans included) by provider, model and kind (input, output, cache_read, cache_write)',
      labelNames: ['provider', 'model', 'kind'] as const,
      registers,
    }),
    modelCost: new Counter({
      name: 'planner_model_cost_usd_total',
      help: 'Model cost of completed model calls (every attempt, failed plans included) in US dollars, by provider and model',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
    modelErrors: new Counter({
      name: 'planner_model_errors_total',
      help: 'Failed model calls (each attempt) by provider and error code',
      labelNames: ['provider', 'code'] as const,
      registers,
    }),
    limitRefusals: new Counter({
      name: 'planner_plan_limit_refusals_total',
      help: 'Plans and questions refused by a plan or cost limit, by scope',
      labelNames: ['scope'] as const,
      registers,
    }),
    feedback: new Counter({
      name: 'planner_feedback_total',
      help: 'Feedback votes recorded (Slack feedback buttons, Teams feedback loop), by target (section, answer) and vote (up, down)',
      labelNames: ['target', 'vote'] as const,
      registers,
    }),
    answers: new Counter({
      name: 'planner_answers_total',
      help: 'Questions asked in plan threads that were answered or failed, by outcome (done, failed)',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}
