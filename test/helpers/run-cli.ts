import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { spawnInGroup } from './process-group.ts';
import { inheritedEnv } from './test-env.ts';
import { REPO_ROOT } from './prompts.ts';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for a CLI child: nothing from ours but PATH, fast job polling, and `env`. */
export function cliEnv(env: Record<string, string>): Record<string, string> {
  return { ...inheritedEnv(['PATH']), PLAN_JOB_POLL_SECONDS: '0.5', LLM_RETRY_BASE_MS: '50', ...env };
}

/**
 * Starts the CLI as a user would: a child process on this Node, stdin not a terminal; in a process
 * group of its own, killed when the test ends (process-group.ts).
 */
export function spawnCli(args: readonly string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const child = spawnInGroup(process.execPath, [path.join(REPO_ROOT, 'src/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(env),
  });
  child.stdin.end();
  return child;
}

/** Runs the CLI to its end and collects its output. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
