import {
  spawn,
  type ChildProcess,
  type ChildProcessByStdio,
  type ChildProcessWithoutNullStreams,
  type SpawnOptions,
  type SpawnOptionsWithStdioTuple,
  type SpawnOptionsWithoutStdio,
  type StdioNull,
  type StdioPipe,
} from 'node:child_process';
import type { Readable } from 'node:stream';
import { onTestFinished, TestRunner } from 'vitest';

/*
 * Every process a test starts (the service, the CLI, npm, the Agents Playground, a build step)
 * runs in a process group of its own and is killed group-wise, so nothing outlives its test:
 * - the group is killed when the test that started it finishes, passed or failed, before or
 *   after the test's own clean-up (a failing expect used to skip `stop()` and leave services
 *   running, re-parented to init);
 * - when the group's leader exits, what it left in the group (npm exec's node …) goes too;
 * - when the test worker ends — vitest stops it with SIGTERM, which ends Node without an 'exit'
 *   event unless someone listens — every group still running is killed first. That covers
 *   processes started in beforeAll, which belong to no test.
 * Own groups (`detached`) also keep Ctrl+C in the terminal from reaching them directly; the
 * worker's SIGINT handler below kills them instead.
 */

/** Process group ids (= the leaders' pids) started here and not known to be gone. */
const running = new Set<number>();

/** Sends `signal` (default SIGKILL) to every process in the group led by `pid`; quiet when it is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!running.has(pid)) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    running.delete(pid);
  }
}

function killAll(): void {
  for (const pid of running) signalGroup(pid);
}

let safetyNet = false;
function installSafetyNet(): void {
  if (safetyNet) return;
  safetyNet = true;
  process.on('exit', killAll);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      // `once` removed this listener: raised again, the signal does what it would have done.
      process.kill(process.pid, signal);
    });
  }
}

/**
 * `spawn` in a process group of its own (`detached`), killed with the test that calls it (see
 * above). A process started outside a test (beforeAll) is the caller's to stop in afterAll; the
 * worker's exit kills it otherwise.
 */
export function spawnInGroup(
  command: string,
  args: readonly string[],
  options: SpawnOptionsWithoutStdio,
): ChildProcessWithoutNullStreams;
export function spawnInGroup(
  command: string,
  args: readonly string[],
  options: SpawnOptionsWithStdioTuple<StdioNull, StdioPipe, StdioPipe>,
): ChildProcessByStdio<null, Readable, Readable>;
export function spawnInGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
export function spawnInGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  // No pid: spawning failed, and the child emits 'error'.
  if (pid === undefined) return child;
  running.add(pid);
  installSafetyNet();
  child.once('exit', () => {
    signalGroup(pid);
    running.delete(pid);
  });
  if (TestRunner.getCurrentTest() !== undefined) onTestFinished(() => signalGroup(pid));
  return child;
}
