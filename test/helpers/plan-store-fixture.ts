import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { openTestDatabase, type Backend, type TestDatabase } from './test-database.ts';
import type { PlanRequest } from '../../src/core/plan-request.ts';
import { samplePlanRequest } from './plan-fixtures.ts';
import type { PlanResult, PlanSection } from '../../src/core/plan-types.ts';
import type { Database } from '../../src/store/database.ts';
import type { NewPlan } from '../../src/store/plan-records.ts';
import { createPlanStore, type PlanStore } from '../../src/store/plan-store.ts';

// Shared by the plan-store.*.test.ts files (kept out of them so vitest does not collect it twice).

/** The plan-store tests' request; its first line of system and target API make the plan's title. */
export const REQUEST: PlanRequest = samplePlanRequest({
  existingSystem: 'SAP ECC 6.0 on Oracle 19c\nNightly IDoc batches via PI/PO',
  targetApi: 'Salesforce REST API',
});

/** Unique per test, so tests sharing one database never see each other's plans. */
export const workspace = (): string => `W${randomUUID().slice(0, 8)}`;
export const key = (): string => `test:${randomUUID()}`;

export function newPlan(workspaceId: string, idempotencyKey = key(), request: PlanRequest = REQUEST): NewPlan {
  return {
    request,
    strategy: 'single',
    prompt: { id: 'integration-plan', version: '3', hash: 'h1' },
    provider: 'anthropic',
    model: 'claude-test',
    requestedBy: 'U100',
    idempotencyKey,
    workspaceId,
    platform: 'slack',
    origin: { platform: 'slack', v: 1, channel: 'C200' },
  };
}

export function section(number: number, markdown = `Section ${number} text`): PlanSection {
  const keys = ['architecture', 'specification', 'security', 'implementation'] as const;
  const sectionKey = keys[number - 1];
  if (sectionKey === undefined) throw new Error(`no section ${number} in the fixture`);
  return {
    key: sectionKey,
    number,
    title: `Title ${number}`,
    markdown,
    missingItems: [{ id: `m${number}`, label: 'Rate limits' }],
    notInSpec: [],
  };
}

/** What a finished run reports (completeRevision stores its figures and timings, not its usage). */
export function result(overrides: Partial<PlanResult> = {}): PlanResult {
  return {
    provider: 'anthropic',
    model: 'claude-test',
    language: 'en',
    strategy: 'single',
    variation: 'general',
    prompt: { id: 'integration-plan', version: '3', hash: 'h1' },
    figures: [{ label: 'Peak calls per second', value: '20' }],
    skeleton: undefined,
    sections: [],
    usage: { inputTokens: 1000, outputTokens: 2000, cacheReadTokens: 300, cacheWriteTokens: 40 },
    costUsd: 0.0123,
    durationMs: 1234.6,
    timeToFirstSectionMs: 250.4,
    ...overrides,
  };
}

export async function count(db: Database, sql: string, params: readonly unknown[]): Promise<number> {
  const [row] = await db.query<{ n: string | number }>(sql, params);
  return Number(row?.n);
}

export interface StoreFixture {
  readonly db: Database;
  readonly store: PlanStore;
  /** Creates a plan in its own transaction, as the plan service does. */
  readonly create: (input: NewPlan) => ReturnType<PlanStore['createPlan']>;
}

/**
 * One migrated database for the enclosing describe block (opening PGlite costs seconds, so tests
 * share it and keep apart by workspace id).
 */
export function useStore(backend: Backend): StoreFixture {
  let opened: { test: TestDatabase; store: PlanStore } | undefined;
  const get = () => {
    if (opened === undefined) throw new Error('the store is opened in beforeAll');
    return opened;
  };
  beforeAll(async () => {
    const test = await openTestDatabase(backend);
    opened = { test, store: createPlanStore(test.db) };
  });
  afterAll(() => opened?.test.drop());
  return {
    get db() {
      return get().test.db;
    },
    get store() {
      return get().store;
    },
    create: (input) => get().test.db.transaction((tx) => get().store.createPlan(tx, input)),
  };
}
