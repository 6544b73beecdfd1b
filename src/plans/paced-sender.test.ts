import { describe, expect, it } from 'vitest';
import { createPacedSender } from './paced-sender.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createPacedSender', () => {
  it('sends the first request at once and folds the next ones into the following slot', async () => {
    const sent: string[] = [];
    const state = { text: '' };
    const send = () => {
      sent.push(state.text);
      return Promise.resolve();
    };
    const sender = createPacedSender({ everyMs: () => 60_000, onError: () => undefined });
    for (const word of ['a', 'ab', 'abc', 'abcd']) {
      state.text = word;
      sender.request(send);
    }
    await tick();
    // One call (it reads the state when it runs); the others wait for the next slot, a minute on.
    expect(sent).toEqual(['abcd']);
    await sender.settle();
    expect(sent).toEqual(['abcd']);
  });

  it('sends every request, in order, when the interval allows', async () => {
    const sent: number[] = [];
    const sender = createPacedSender({ everyMs: () => 0, onError: () => undefined });
    for (const n of [1, 2, 3]) {
      sender.request(() => {
        sent.push(n);
        return Promise.resolve();
      });
    }
    await sender.settle();
    expect(sent).toEqual([1, 2, 3]);
  });

  it('reports a failed call and goes on', async () => {
    const errors: unknown[] = [];
    const sent: number[] = [];
    const sender = createPacedSender({ everyMs: () => 0, onError: (error) => errors.push(error) });
    sender.request(() => Promise.reject(new Error('refused')));
    sender.request(() => {
      sent.push(2);
      return Promise.resolve();
    });
    await sender.settle();
    expect(errors).toHaveLength(1);
    expect(sent).toEqual([2]);
  });
});
