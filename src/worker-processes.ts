import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.ts';
import type { MetricsJson } from './service.ts';

/*
 * `npm start` on Postgres runs the web process (Slack, Teams, health, metrics) and, beside it,
 * plan worker processes: plan work (seven model streams per plan, rendering, the database) never
 * shares an event loop or a heap with the code that must answer Slack within 3 seconds. The web
 * process starts them, restarts one that dies, forwards SIGTERM on shutdown and waits for them
 * (they hand running plans back), and merges their metrics into its /metrics over IPC.
 */

/** Messages between the web process and a worker it started. */
export type WorkerMessage =
  | { readonly type: 'metrics'; readonly id: string }
  | { readonly type: 'metrics-answer'; readonly id: string; readonly metrics: MetricsJson };

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
/** How long a worker may take to answer a metrics request before /metrics goes on without it. */
const METRICS_WAIT_MS = 2000;

export interface WorkerProcesses {
  /** The workers' metrics, from those that answer in time. */
  metrics(): Promise<MetricsJson[]>;
  /** SIGTERM to every worker, then waits until they exited (SIGKILL after `timeoutMs`). */
  stop(timeoutMs: number): Promise<void>;
}

interface Slot {
  child: ChildProcess | undefined;
  restartMs: number;
  timer: NodeJS.Timeout | undefined;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function askMetrics(child: ChildProcess): Promise<MetricsJson | undefined> {
  if (!child.connected) return Promise.resolve(undefined);
  const id = randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), METRICS_WAIT_MS);
    const onMessage = (message: WorkerMessage) => {
      if (message.type === 'metrics-answer' && message.id === id) finish(message.metrics);
    };
    function finish(metrics: MetricsJson | undefined) {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(metrics);
    }
    child.on('message', onMessage);
    child.send({ type: 'metrics', id } satisfies WorkerMessage, (error) => {
      if (error !== null) finish(undefined);
    });
  });
}

/**
 * Plan work yields the CPU to the web process on the same machine: an acknowledgement is due
 * within Slack's 3 seconds, a plan's section a few hundred milliseconds later costs nothing.
 * (In Kubernetes web and workers run in pods of their own; there this changes nothing.)
 */
export const WORKER_NICENESS = 10;

function lowerPriority(child: ChildProcess, logger: Logger): void {
  if (child.pid === undefined) return;
  try {
    setPriority(child.pid, WORKER_NICENESS);
  } catch (error) {
    logger.warn({ err: error, pid: child.pid }, 'could not lower the plan worker process priority');
  }
}

/**
 * Starts `count` worker processes: this same entry script with PROCESS_ROLE=worker, an
 * ephemeral port (health and metrics only) and this process's Node flags.
 */
export function startWorkerProcesses(options: {
  readonly count: number;
  readonly script: string;
  readonly logger: Logger;
}): WorkerProcesses {
  const { logger } = options;
  let stopping = false;
  const slots: Slot[] = Array.from({ length: options.count }, () => ({
    child: undefined,
    restartMs: RESTART_MIN_MS,
    timer: undefined,
  }));
  const spawn = (slot: Slot, index: number) => {
    const child = fork(options.script, [], {
      // Not configuration read here: the worker gets this process's environment as is, plus its role.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, PROCESS_ROLE: 'worker', PORT: '0' },
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.child = child;
    lowerPriority(child, logger);
    const startedAt = Date.now();
    logger.info({ worker: index + 1, pid: child.pid }, 'plan worker process started');
    child.once('exit', (code, signal) => {
      slot.child = undefined;
      if (stopping) return;
      // A worker that ran a while restarts soon; one that keeps dying at start waits longer each time.
      slot.restartMs =
        Date.now() - startedAt > RESTART_MAX_MS ? RESTART_MIN_MS : Math.min(slot.restartMs * 2, RESTART_MAX_MS);
      logger.error(
        { worker: index + 1, code, signal, restartInMs: slot.restartMs },
        'plan worker process exited; restarting it',
      );
      slot.timer = setTimeout(() => spawn(slot, index), slot.restartMs);
    });
  };
  slots.forEach(spawn);
  return {
    async metrics() {
      const answers = await Promise.all(slots.flatMap((slot) => (slot.child ? [askMetrics(slot.child)] : [])));
      return answers.filter((metrics) => metrics !== undefined);
    },
    async stop(timeoutMs) {
      stopping = true;
      const children = slots.flatMap((slot) => {
        clearTimeout(slot.timer);
        return slot.child === undefined ? [] : [slot.child];
      });
      for (const child of children) child.kill('SIGTERM');
      const killer = setTimeout(() => {
        for (const child of children) child.kill('SIGKILL');
      }, timeoutMs);
      await Promise.all(children.map(exited));
      clearTimeout(killer);
    },
  };
}

/** In a worker started by the web process: answers its metrics requests. */
export function answerWorkerMessages(metrics: () => Promise<MetricsJson>): void {
  process.on('message', (message: WorkerMessage) => {
    if (message.type !== 'metrics') return;
    void metrics().then((json) => process.send?.({ type: 'metrics-answer', id: message.id, metrics: json }));
  });
}
