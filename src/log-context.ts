import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Fields every log line written on behalf of one unit of work carries (a plan job: its job,
 * plan, revision and platform ids), whichever module or library writes the line: the logger's
 * mixin reads them from the async context, so Slack's Web API client, the Teams connector or a
 * model SDK need no logger of their own. Work started inside the context (promises, timers)
 * keeps it.
 */
const storage = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `work` with `fields` (added to any the caller's context has) on its log lines. */
export function withLogContext<T>(fields: Readonly<Record<string, unknown>>, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

/** Adds fields to the current context, for the rest of its work (no-op outside one). */
export function addLogContext(fields: Readonly<Record<string, unknown>>): void {
  const store = storage.getStore();
  if (store !== undefined) Object.assign(store, fields);
}

/**
 * The current context's fields, as a copy (the logger's mixin: pino merges each line's own
 * fields into the object it gets, which must not change the context).
 */
export function logContextFields(): Record<string, unknown> {
  return { ...storage.getStore() };
}
