/*
 * The test run's own environment (TEST_DATABASE_URL, TEST_LOG_LEVEL, PATH …) is read here only,
 * by the rule src/config.ts follows for the service: an empty variable means unset. CI systems set
 * a missing secret to '', and that must skip the Postgres suites, not fail them.
 */

/** A variable of the test run's environment; undefined when it is unset, empty or blank. */
export function testEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The test run's variables for a child process that needs some of ours (PATH, HOME, proxies):
 * those of `names` that are set, or every set variable when `names` is not given.
 */
export function inheritedEnv(names: readonly string[] = Object.keys(process.env)): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const name of names) {
    const value = testEnv(name);
    if (value !== undefined) inherited[name] = value;
  }
  return inherited;
}
