import { describe, expect, it } from 'vitest';
import { heapAdvice, heapBudget } from './heap-budget.ts';

const MB = 1024 * 1024;

describe('heapBudget', () => {
  it('finds the image heap (256 MB old space + 24 MB young) ample for the default 4 workers and for 50', () => {
    const limit = 280 * MB;
    expect(heapBudget(limit, 4)).toEqual({ limitMb: 280, neededMb: 51, recommendedMb: 96, tight: false });
    expect(heapBudget(limit, 50)).toMatchObject({ neededMb: 86, recommendedMb: 160, tight: false });
  });

  it('calls a heap tight when the concurrency outgrows it, and recommends a limit in steps of 32 MB', () => {
    const budget = heapBudget(280 * MB, 300);
    expect(budget).toEqual({ limitMb: 280, neededMb: 273, recommendedMb: 416, tight: true });
    expect(heapAdvice(budget, 300)).toBe(
      'The V8 heap limit (280 MB) is tight for PLAN_WORKER_CONCURRENCY=300: running plans need about 273 MB live. ' +
        'Start Node with --max-old-space-size=416 (NODE_OPTIONS) and give the container memory to match, or lower PLAN_WORKER_CONCURRENCY.',
    );
  });

  it('is not tight exactly at the recommendation', () => {
    expect(heapBudget(416 * MB, 300).tight).toBe(false);
    expect(heapBudget(415 * MB, 300).tight).toBe(true);
  });
});
