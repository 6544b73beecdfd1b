import { asAppError } from '../errors.ts';
import { addSpend, ZERO_SPEND, type ModelSpend } from '../llm/model-client.ts';
import type { Logger } from '../logger.ts';

export type EffectChain = ReturnType<typeof createEffectChain>;

/** Serialises a plan run's side effects (store, then deliver) in event order; drain() rethrows the first failure. */
export function createEffectChain(logger: Logger) {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  return {
    add(effect: () => Promise<void>) {
      chain = chain.then(effect).catch((error: unknown) => {
        failure ??= error;
        logger.warn({ err: error }, 'plan side effect failed');
      });
    },
    async drain() {
      await chain;
      if (failure !== undefined) throw asAppError(failure);
    },
  };
}

/**
 * Stores what model calls cost as they complete, in order with the other effects. Calls that
 * complete while a write is queued are added up into it: the parallel strategy's sections end
 * close together, and one UPDATE then records several of them.
 */
export function createSpendRecorder(effects: EffectChain, write: (spent: ModelSpend) => Promise<void>) {
  let pending: ModelSpend | undefined;
  return {
    add(spent: ModelSpend) {
      const queued = pending !== undefined;
      pending = addSpend(pending ?? ZERO_SPEND, spent);
      if (queued) return;
      effects.add(() => {
        const due = pending ?? ZERO_SPEND;
        pending = undefined;
        return write(due);
      });
    },
  };
}
