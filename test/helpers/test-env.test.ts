import { describe, expect, it } from 'vitest';
import { backendsFor } from './test-database.ts';
import { testEnv } from './test-env.ts';

describe("the test run's environment", () => {
  it('treats an empty or blank variable as unset, as src/config.ts does', () => {
    expect(testEnv('TEST_DATABASE_URL', { TEST_DATABASE_URL: '' })).toBeUndefined();
    expect(testEnv('TEST_DATABASE_URL', { TEST_DATABASE_URL: ' ' })).toBeUndefined();
    expect(testEnv('TEST_DATABASE_URL', {})).toBeUndefined();
    expect(testEnv('TEST_DATABASE_URL', { TEST_DATABASE_URL: 'postgres://h/db' })).toBe('postgres://h/db');
  });

  it('tests on PGlite only when TEST_DATABASE_URL is empty, on both when it is set', () => {
    expect(backendsFor(testEnv('TEST_DATABASE_URL', { TEST_DATABASE_URL: '' }))).toEqual(['pglite']);
    expect(backendsFor(testEnv('TEST_DATABASE_URL', { TEST_DATABASE_URL: 'postgres://h/db' }))).toEqual([
      'pglite',
      'postgres',
    ]);
  });
});
