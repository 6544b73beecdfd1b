/**
 * Spaces posts to one channel: Slack allows about one message per second per channel and
 * answers bursts with 429. Waiting here keeps a plan's eight posts from tripping that.
 * @see https://api.slack.com/methods/chat.postMessage#rate_limiting
 */
export function createChannelPacer(intervalMs: number, now: () => number = () => Date.now()) {
  const next = new Map<string, number>();
  return {
    async wait(channel: string): Promise<void> {
      if (intervalMs <= 0) return;
      const at = Math.max(now(), next.get(channel) ?? 0);
      next.set(channel, at + intervalMs);
      const delay = at - now();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    },
  };
}
