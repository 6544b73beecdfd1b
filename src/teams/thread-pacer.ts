/** At most `limit` posts in any `ms` milliseconds. */
export interface RateWindow {
  readonly limit: number;
  readonly ms: number;
}

/**
 * Teams' documented limits for one bot in one conversation thread: 7 messages a second, 8 in 2 s,
 * 60 in 30 s (posts and updates alike). Above them Teams answers 429 and, if a bot keeps at it,
 * throttles it for longer.
 * @see https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export const TEAMS_THREAD_WINDOWS: readonly RateWindow[] = [
  { limit: 7, ms: 1000 },
  { limit: 8, ms: 2000 },
  { limit: 60, ms: 30_000 },
];

export interface ThreadPacer {
  /**
   * Runs `post` once it fits `key`'s windows and its earlier posts ended. Counted from its answer,
   * so network delays cannot squeeze posts closer together at Teams' side than here.
   */
  run<T>(key: string, post: () => Promise<T>): Promise<T>;
  /** Runs `post` only if it needs no wait (for what may be skipped: typing); undefined otherwise. */
  tryRun<T>(key: string, post: () => Promise<T>): Promise<T | undefined>;
}

/**
 * Paces posts per conversation so a plan's burst stays under Teams' per-thread limits instead of
 * running into 429s; conversations do not wait for each other. In-process: a plan's thread is
 * written by the one replica running its job.
 */
export function createThreadPacer(
  windows: readonly RateWindow[] = TEAMS_THREAD_WINDOWS,
  clock: { now(): number; sleep(ms: number): Promise<void> } = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): ThreadPacer {
  const longest = Math.max(...windows.map((window) => window.ms));
  /** When each post into a key ended, oldest first, no older than the longest window. */
  const ended = new Map<string, number[]>();
  /** Per key, the end of the last post queued. */
  const queues = new Map<string, Promise<unknown>>();

  /** How long to wait before the next post into `key` fits every window (0: now). */
  const waitFor = (key: string, now: number): number => {
    const times = (ended.get(key) ?? []).filter((at) => now - at < longest);
    if (times.length === 0) ended.delete(key);
    else ended.set(key, times);
    let wait = 0;
    for (const { limit, ms } of windows) {
      const inWindow = times.filter((at) => now - at < ms);
      // The oldest post that must leave the window before one more fits.
      const blocking = inWindow.length >= limit ? inWindow[inWindow.length - limit] : undefined;
      if (blocking !== undefined) wait = Math.max(wait, blocking + ms - now);
    }
    return wait;
  };

  const counted = async <T>(key: string, post: () => Promise<T>): Promise<T> => {
    try {
      return await post();
    } finally {
      ended.set(key, [...(ended.get(key) ?? []), clock.now()]);
    }
  };

  const run = <T>(key: string, post: () => Promise<T>): Promise<T> => {
    const turn = (queues.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        for (let wait = waitFor(key, clock.now()); wait > 0; wait = waitFor(key, clock.now())) await clock.sleep(wait);
        return counted(key, post);
      });
    queues.set(key, turn);
    const forget = () => {
      if (queues.get(key) === turn) queues.delete(key);
    };
    turn.then(forget, forget);
    return turn;
  };

  return {
    run,
    tryRun: (key, post) =>
      queues.has(key) || waitFor(key, clock.now()) > 0 ? Promise.resolve(undefined) : run(key, post),
  };
}
