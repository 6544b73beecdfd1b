import { ZERO_USAGE } from '../../src/llm/model-client.ts';
import type { PlanRecord, RevisionWithSections, SectionRecord } from '../../src/store/plan-records.ts';
import { samplePlanRequest } from './plan-fixtures.ts';

/** A stored plan as the store returns it, with `overrides` for what a test is about. */
export function samplePlanRecord(overrides: Partial<PlanRecord> = {}): PlanRecord {
  return {
    id: 'p1',
    workspaceId: 'W1',
    number: 4,
    platform: 'slack',
    origin: { platform: 'slack', v: 1, channel: 'C1' },
    threadRef: undefined,
    title: 'Shopware 6 (PHP 8.3), MySQL 8 → Stripe Payments API',
    createdBy: 'U1',
    createdAt: new Date('2025-05-01T10:00:00Z'),
    latestRevision: 1,
    ...overrides,
  };
}

/** A stored revision with its sections, as the store returns it. */
export function sampleRevision(overrides: Partial<RevisionWithSections> = {}): RevisionWithSections {
  return {
    id: 'r1',
    planId: 'p1',
    workspaceId: 'W1',
    number: 1,
    request: samplePlanRequest(),
    strategy: 'parallel',
    prompt: { id: 'integration-plan', version: '3', hash: 'h' },
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    status: 'running',
    errorCode: undefined,
    changes: [],
    changeSummary: undefined,
    skeleton: undefined,
    figures: [],
    spec: undefined,
    specFacts: undefined,
    usage: { ...ZERO_USAGE, inputTokens: 1200, outputTokens: 3400 },
    costUsd: 0.0421,
    attempts: 1,
    requestedBy: 'U1',
    idempotencyKey: 'slack:V1',
    messageRef: undefined,
    createdAt: new Date('2025-05-01T10:00:00Z'),
    startedAt: undefined,
    finishedAt: undefined,
    durationMs: 31_400,
    firstSectionMs: undefined,
    sections: [],
    ...overrides,
  };
}

/** A stored section. */
export function sampleSection(key: string, position: number, overrides: Partial<SectionRecord> = {}): SectionRecord {
  return {
    key,
    position,
    title: `Section ${position}`,
    markdown: `Text of section ${position}.`,
    missingItems: [],
    notInSpec: [],
    messageRef: undefined,
    ...overrides,
  };
}
