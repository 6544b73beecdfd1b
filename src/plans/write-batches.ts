/**
 * Group commit for writes that need no transaction of their caller: what arrives in the same
 * turn of the event loop is written by one call. A burst of 200 forms then costs a handful of
 * inserts instead of 200 round trips, each holding a pool connection while the next waits.
 */
export interface WriteBatches<Item> {
  /** Resolves once the batch holding `item` is written; rejects with that batch's error. */
  add(item: Item): Promise<void>;
}

/**
 * Largest batch, written as soon as it is full: the first requests of a burst are answered
 * while later ones are still being read, one statement stays small, and a failure takes few
 * writes with it.
 */
export const MAX_BATCH = 20;

interface Pending<Item> {
  readonly item: Item;
  resolve(): void;
  reject(error: unknown): void;
}

export function createWriteBatches<Item>(write: (items: readonly Item[]) => Promise<void>): WriteBatches<Item> {
  let pending: Pending<Item>[] = [];
  let scheduled = false;
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    // A write that throws at once fails its batch like one that rejects.
    new Promise<void>((resolve) => resolve(write(batch.map((entry) => entry.item)))).then(
      () => {
        for (const entry of batch) entry.resolve();
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  };
  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (pending.length >= MAX_BATCH) flush();
        if (scheduled || pending.length === 0) return;
        scheduled = true;
        // After the I/O callbacks of this turn: the requests that arrived together are read by then.
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      });
    },
  };
}
