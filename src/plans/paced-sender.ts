/**
 * Sends a message being written at a pace a chat platform accepts: the first call at once, then
 * at most one every `everyMs()`, each carrying whatever arrived meanwhile (the latest `send`
 * given wins). Calls run one at a time, in order; a failed call is reported, never thrown.
 */
export function createPacedSender(options: {
  readonly everyMs: () => number;
  readonly onError: (error: unknown) => void;
}) {
  let chain: Promise<void> = Promise.resolve();
  let lastSent = 0;
  let timer: NodeJS.Timeout | undefined;
  let next: (() => Promise<void>) | undefined;
  const run = (work: () => Promise<void>) => {
    chain = chain.then(work).catch(options.onError);
  };
  const fire = () => {
    timer = undefined;
    lastSent = Date.now();
    const send = next;
    next = undefined;
    if (send !== undefined) run(send);
  };
  return {
    /** Sends `send` now or at the next slot (replacing one still waiting for it). */
    request(send: () => Promise<void>): void {
      next = send;
      if (timer !== undefined) return;
      const wait = lastSent + options.everyMs() - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    /** Drops what still waits for its slot and waits for the calls already made. */
    async settle(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      next = undefined;
      await chain;
    },
  };
}
