import { describe, expect, it } from 'vitest';
import { createWriteBatches, MAX_BATCH } from './write-batches.ts';

describe('write batches', () => {
  it('writes what arrives in one turn of the event loop with one call, in order', async () => {
    const writes: number[][] = [];
    const batches = createWriteBatches<number>((items) => {
      writes.push([...items]);
      return Promise.resolve();
    });
    await Promise.all([1, 2, 3].map((item) => batches.add(item)));
    await batches.add(4);
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('writes a full batch at once, without waiting for the turn to end', async () => {
    const writes: number[][] = [];
    const batches = createWriteBatches<number>((items) => {
      writes.push([...items]);
      return Promise.resolve();
    });
    const items = Array.from({ length: MAX_BATCH * 2 + 1 }, (_, index) => index);
    const adding = items.map((item) => batches.add(item));
    // Two full batches went out synchronously; the odd one waits for the end of the turn.
    expect(writes.map((batch) => batch.length)).toEqual([MAX_BATCH, MAX_BATCH]);
    await Promise.all(adding);
    expect(writes.flat()).toEqual(items);
    expect(writes.at(-1)).toEqual([MAX_BATCH * 2]);
  });

  it("fails every add of a failed batch with its error, and only that batch's", async () => {
    let calls = 0;
    const batches = createWriteBatches<string>((items) => {
      calls += 1;
      if (items.includes('bad')) throw new Error('insert refused');
      return Promise.resolve();
    });
    const first = await Promise.allSettled([batches.add('good'), batches.add('bad')]);
    expect(first.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((first[0] as PromiseRejectedResult).reason).toEqual(new Error('insert refused'));
    await expect(batches.add('later')).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
