import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PromptLibrary } from '../../src/prompts/load-prompts.ts';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { classifyAsk, createPlanWriter, type PlanWriterOptions } from '../fakes/plan-writer.ts';
import { clientFor, PROVIDER_LIST, startFake } from '../helpers/model-harness.ts';
import type { Provider } from '../../src/llm/model-client.ts';
import type { PlanEvent, PlanSection, PlanStrategyName } from '../../src/core/plan-types.ts';
import { createPlanner } from '../../src/core/planner.ts';
import { SECTION_KEYS } from '../../src/prompts/section-keys.ts';
import type { PlanRequest } from '../../src/core/plan-request.ts';
import { samplePlanRequest } from '../helpers/plan-fixtures.ts';
import { loadTestPrompts } from '../helpers/prompts.ts';

let prompts: PromptLibrary;
let server: FakeModelServer | undefined;
beforeAll(async () => {
  prompts = await loadTestPrompts();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = samplePlanRequest({ scaleNotes: 'Black Friday: 5x' });

async function plan(
  provider: Provider,
  strategy: PlanStrategyName,
  writer: PlanWriterOptions = {},
  extra: Partial<PlanRequest> = {},
) {
  server = await startFake(provider, { respond: createPlanWriter(prompts, writer) });
  const planner = createPlanner({ prompts, model: await clientFor(provider, server) });
  const events: PlanEvent[] = [];
  const result = await planner.plan({ ...request, ...extra }, { strategy, onEvent: (event) => events.push(event) });
  const asks = server.requests.map((recorded) => classifyAsk(prompts, recorded).kind);
  return { result, events, asks, requests: server.requests };
}

describe.each(PROVIDER_LIST)('planner on %s', (provider) => {
  it.each(['single', 'parallel'] as const)(
    '%s: writes all seven sections in order, each complete',
    async (strategy) => {
      const { result, events, asks } = await plan(provider, strategy);
      expect(result.sections.map((section) => section.key)).toEqual([...SECTION_KEYS]);
      for (const section of result.sections) {
        expect(section.missingItems).toEqual([]);
        expect(section.markdown).toMatch(/^### /u);
        expect(section.markdown).not.toMatch(/^## \d/mu);
      }
      expect(result.sections[2]?.markdown).toContain('### Rate limiting per client');
      expect(asks).toEqual(strategy === 'single' ? ['plan'] : ['skeleton', ...Array<string>(7).fill('section')]);
      expect(events[0]?.type).toBe('plan_started');
      expect(events.filter((event) => event.type === 'section_done')).toHaveLength(7);
      expect(result.usage.outputTokens).toBeGreaterThan(0);
      expect(result.costUsd).toBeGreaterThan(0);
      expect(result.strategy).toBe(strategy);
      expect(result.prompt.id).toBe('integration-plan');
      expect(result.figures).toContainEqual({ label: 'Data volume per month (30 days)', value: '60 GB' });
      expect(result.timeToFirstSectionMs).toBeLessThanOrEqual(result.durationMs);
    },
  );

  it('parallel: conditions every section on the skeleton through a shared prefix', async () => {
    const { result, requests } = await plan(provider, 'parallel');
    expect(result.skeleton).toContain('OAuth 2.0 client credentials');
    const sections = requests.slice(1);
    for (const recorded of sections) {
      expect(recorded.messages[0]?.content).toContain('OAuth 2.0 client credentials');
      expect(recorded.messages[0]?.content).toContain('<data name="target_api">\nStripe Payments API\n</data>');
    }
    if (provider === 'anthropic') {
      expect(JSON.stringify(sections[0]?.body)).toContain('"cache_control":{"type":"ephemeral"}');
    }
  });
});

describe('coverage follow-up', () => {
  it.each(['single', 'parallel'] as const)(
    '%s: asks once more for missing items and keeps what comes back',
    async (strategy) => {
      const { result, asks, requests } = await plan('anthropic', strategy, { omitItems: ['sla', 'idempotency'] });
      expect(asks.filter((kind) => kind === 'followup')).toHaveLength(2);
      const followUp = requests.find(
        (recorded) =>
          classifyAsk(prompts, recorded).kind === 'followup' && recorded.messages[2]?.content.includes('SLA'),
      );
      expect(followUp?.messages[1]?.role).toBe('assistant');
      expect(followUp?.messages[1]?.content).toContain('### Performance monitoring');
      const maintenance = result.sections.find((section) => section.key === 'maintenance');
      expect(maintenance?.markdown).toContain('### SLA definition');
      expect(maintenance?.missingItems).toEqual([]);
    },
  );

  it('reports items still missing after the follow-up, never dropping them silently', async () => {
    const { result, asks } = await plan('openai', 'parallel', { neverItems: ['circuit_breaker'] });
    expect(asks.filter((kind) => kind === 'followup')).toHaveLength(1);
    const quality = result.sections.find((section) => section.key === 'code_quality');
    expect(quality?.missingItems).toEqual([
      { id: 'circuit_breaker', label: 'Fault tolerance (circuit breaker pattern)' },
    ]);
  });
});

describe('single strategy with real-world answers', () => {
  it.each(['bold', 'seed'] as const)('splits %s headings in German', async (headingStyle) => {
    const { result } = await plan('anthropic', 'single', { headingStyle }, { language: 'de' });
    expect(result.sections.map((section) => section.title)).toEqual([
      'Architektur-Analyse',
      'Technische Spezifikation',
      'Sicherheit',
      'Implementierung',
      'Deployment',
      'Wartung',
      'Code-Qualität',
    ]);
    expect(result.sections.every((section) => section.missingItems.length === 0)).toBe(true);
  });

  it('writes a section the model skipped on its own', async () => {
    const { result, asks } = await plan('openai', 'single', { skipSections: ['deployment'] });
    expect(asks).toEqual(['plan', 'section']);
    expect(result.sections.find((section) => section.key === 'deployment')?.markdown).toContain(
      '### Rollback strategy',
    );
  });

  it('survives a stream cut mid-plan without duplicating finished sections', async () => {
    server = await startFake('anthropic', { respond: createPlanWriter(prompts) });
    server.enqueueFaults({ kind: 'cut_stream', afterChunks: 700 });
    const planner = createPlanner({ prompts, model: await clientFor('anthropic', server) });
    const done: string[] = [];
    const result = await planner.plan(request, {
      strategy: 'single',
      onEvent: (event) => {
        if (event.type === 'section_done') done.push(event.section.key);
      },
    });
    expect(server.requests).toHaveLength(2);
    expect(done.toSorted()).toEqual([...SECTION_KEYS].toSorted());
    expect(result.sections.map((section) => section.key)).toEqual([...SECTION_KEYS]);
  });
});

describe('resume', () => {
  it.each(['single', 'parallel'] as const)('%s: does not ask the model again for stored sections', async (strategy) => {
    const first = await plan('anthropic', strategy);
    const stored: PlanSection[] = first.result.sections.filter((section) => section.number <= 4);
    await server?.close();
    server = await startFake('anthropic', { respond: createPlanWriter(prompts) });
    const planner = createPlanner({ prompts, model: await clientFor('anthropic', server) });
    const events: PlanEvent[] = [];
    const resumed = await planner.plan(request, {
      strategy,
      resume: { sections: stored, ...(first.result.skeleton === undefined ? {} : { skeleton: first.result.skeleton }) },
      onEvent: (event) => events.push(event),
    });
    const asked = server.requests.map((recorded) => classifyAsk(prompts, recorded));
    // Only the missing sections, one by one: neither strategy asks for the whole plan again.
    expect(asked.map((ask) => (ask.kind === 'section' ? ask.section.key : ask.kind))).toEqual([
      'deployment',
      'maintenance',
      'code_quality',
    ]);
    const reported = events.flatMap((event) => (event.type === 'section_done' ? [event.section.key] : []));
    expect(reported.toSorted()).toEqual(['code_quality', 'deployment', 'maintenance']);
    expect(resumed.sections.slice(0, 4)).toEqual(stored);
  });
});
