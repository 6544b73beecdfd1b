import { describe, expect, it } from 'vitest';
import { createThreadPacer, TEAMS_THREAD_WINDOWS, type RateWindow } from './thread-pacer.ts';

/** Simulated time: sleeping moves the clock on, so the tests take no real time. */
function fakeClock() {
  const clock = {
    at: 0,
    now: () => clock.at,
    sleep: (ms: number) => {
      clock.at += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

/** The most posts any window of `ms` holds. */
function busiest(times: readonly number[], ms: number): number {
  return Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + ms).length));
}

describe('thread pacer', () => {
  it("keeps a burst of 70 posts within each of Teams' per-thread windows, without waiting longer than needed", async () => {
    const clock = fakeClock();
    const pacer = createThreadPacer(TEAMS_THREAD_WINDOWS, clock);
    const times: number[] = [];
    for (let index = 0; index < 70; index++) {
      await pacer.run('thread-1', () => Promise.resolve(times.push(clock.now())));
    }
    for (const window of TEAMS_THREAD_WINDOWS)
      expect(busiest(times, window.ms), `${window.limit} per ${window.ms} ms`).toBeLessThanOrEqual(window.limit);
    // Seven at once, the eighth a second later, then a full 2 s window again.
    expect(times.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 1000, 2000]);
    // The 30 s window binds after 60: the 61st waits for the first to leave it.
    expect(times[60]).toBe(30_000);
  });

  it('serves concurrent callers in order and paces each conversation on its own', async () => {
    const clock = fakeClock();
    const windows: RateWindow[] = [{ limit: 2, ms: 1000 }];
    const pacer = createThreadPacer(windows, clock);
    const order: string[] = [];
    await Promise.all(
      ['a1', 'a2', 'a3', 'b1', 'b2'].map((name) =>
        pacer.run(name.startsWith('a') ? 'A' : 'B', () => Promise.resolve(order.push(`${name}@${clock.now()}`))),
      ),
    );
    expect(order.filter((entry) => entry.startsWith('a'))).toEqual(['a1@0', 'a2@0', 'a3@1000']);
    expect(order.filter((entry) => entry.startsWith('b')).map((entry) => entry.split('@')[0])).toEqual(['b1', 'b2']);
  });

  it('counts a post from its end: a slow answer delays the next post in the same conversation', async () => {
    const clock = fakeClock();
    const pacer = createThreadPacer([{ limit: 1, ms: 1000 }], clock);
    const starts: number[] = [];
    await pacer.run('T', async () => {
      starts.push(clock.now());
      await clock.sleep(300); // the first post takes 300 ms to be answered
    });
    await pacer.run('T', () => Promise.resolve(starts.push(clock.now())));
    expect(starts).toEqual([0, 1300]);
  });

  it('runs a post in order after a failed one, and counts the failed one', async () => {
    const clock = fakeClock();
    const pacer = createThreadPacer([{ limit: 1, ms: 1000 }], clock);
    await expect(pacer.run('T', () => Promise.reject(new Error('429')))).rejects.toThrow('429');
    await pacer.run('T', () => Promise.resolve());
    expect(clock.now()).toBe(1000);
  });

  it('tryRun posts when a slot is free and skips, without counting, when it would have to wait', async () => {
    const clock = fakeClock();
    const pacer = createThreadPacer([{ limit: 2, ms: 1000 }], clock);
    const post = () => Promise.resolve('posted');
    expect(await pacer.tryRun('T', post)).toBe('posted');
    await pacer.run('T', post);
    expect(await pacer.tryRun('T', post)).toBeUndefined();
    clock.at = 999;
    expect(await pacer.tryRun('T', post)).toBeUndefined();
    clock.at = 1000;
    expect(await pacer.tryRun('T', post)).toBe('posted');
    // The skipped attempts were not counted: one more fits in the window.
    expect(await pacer.tryRun('T', post)).toBe('posted');
    expect(await pacer.tryRun('T', post)).toBeUndefined();
  });
});
