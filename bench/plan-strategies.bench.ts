import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createPlanner } from '../src/core/planner.ts';
import type { PlanRequest } from '../src/core/plan-request.ts';
import type { PlanStrategyName } from '../src/core/plan-types.ts';
import { createModelClient } from '../src/llm/create-model-client.ts';
import { loadPromptLibrary } from '../src/prompts/load-prompts.ts';
import { startFakeAnthropic } from '../test/fakes/fake-anthropic-server.ts';
import { createPlanWriter } from '../test/fakes/plan-writer.ts';

const request: PlanRequest = {
  existingSystem: 'Shopware 6 (PHP 8.3), MySQL 8, RabbitMQ',
  targetApi: 'Stripe Payments API',
  useCase: 'Card and SEPA payments, refunds and payouts at checkout',
  callsPerSecond: 50,
  dataVolume: '2 GB/day',
  scaleNotes: 'Black Friday peaks at 5x',
  budget: '3 months, 2 developers',
  variation: 'payments',
  language: 'en',
};

export interface StrategyFigures {
  readonly strategy: PlanStrategyName;
  readonly wallMs: number;
  readonly firstSectionMs: number;
  readonly outputTokens: number;
}

/**
 * The same 7-section plan through `single` and `parallel` against the fake model streaming at
 * a fixed token rate per response (as real APIs do): wall time, time to the first complete
 * section, and the parallel/single ratio.
 */
export async function benchPlanStrategies(tokensPerSecond: number): Promise<StrategyFigures[]> {
  const prompts = await loadPromptLibrary(path.resolve(import.meta.dirname, '../prompts'));
  // Two paragraphs per checklist item: about 450 tokens a section, 3,200 for the plan.
  const server = await startFakeAnthropic({
    respond: createPlanWriter(prompts, { paragraphsPerItem: 2 }),
    tokensPerSecond,
  });
  try {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: server.url });
    const figures: StrategyFigures[] = [];
    for (const strategy of ['single', 'parallel'] as const) {
      const planner = createPlanner({ prompts, model: createModelClient(config.llm, 'claude-sonnet-4-6') });
      const result = await planner.plan(request, { strategy });
      figures.push({
        strategy,
        wallMs: result.durationMs,
        firstSectionMs: result.timeToFirstSectionMs ?? Number.NaN,
        outputTokens: result.usage.outputTokens,
      });
    }
    return figures;
  } finally {
    await server.close();
  }
}
