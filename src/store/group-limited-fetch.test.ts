import { fetchNextJob } from 'pg-boss/dist/plans.js';
import { describe, expect, it } from 'vitest';
import { isGroupLimitedFetch } from './pg-database.ts';

// The per-workspace limit holds only while pg-database recognises pg-boss's group-limited fetch
// (it runs those one at a time). pg-boss builds that SQL privately: when an upgrade renames the
// step this test fails, instead of the limit quietly overshooting under concurrent fetches.
describe('isGroupLimitedFetch against the SQL pg-boss builds', () => {
  const fetch = (groupConcurrency?: number) =>
    fetchNextJob({ schema: 'pgboss', table: 'job', name: 'plan-run', policy: 'standard', limit: 1, groupConcurrency });

  it('recognises a fetch with a group concurrency limit, as the plan workers run it', () => {
    expect(isGroupLimitedFetch(fetch(2).text)).toBe(true);
    expect(isGroupLimitedFetch(fetch(1).text)).toBe(true);
  });

  it('leaves every other fetch alone', () => {
    expect(isGroupLimitedFetch(fetch().text)).toBe(false);
  });
});
