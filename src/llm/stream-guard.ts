import { AppError } from '../errors.ts';
import { toModelError, type SdkErrorClasses } from './model-errors.ts';

/**
 * Runs one streamed model call with an idle timeout: the SDK's own `timeout` covers the wait
 * for response headers, but a stream that stalls after them would otherwise hang forever.
 * Every received event resets the timer. Errors come out as AppErrors; an abort by the
 * caller's own signal comes out as the caller's reason. `sdkErrors`: the SDK's error classes.
 */
export async function guardStream<T>(
  options: {
    readonly idleTimeoutMs: number;
    readonly signal: AbortSignal | undefined;
    readonly sdkErrors: SdkErrorClasses;
  },
  run: (signal: AbortSignal, touch: () => void) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  // An object, not two lets: the flags change inside callbacks.
  const state = { idle: false, started: false };
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.idle = true;
      controller.abort(new Error('model stream idle'));
    }, options.idleTimeoutMs);
  };
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  touch();
  try {
    const result = await run(controller.signal, () => {
      state.started = true;
      touch();
    });
    // An SDK may end an aborted stream quietly: what it read so far is no answer.
    if (controller.signal.aborted) throw controller.signal.reason ?? new Error('model stream aborted');
    return result;
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    if (state.idle) {
      throw new AppError('MODEL_TIMEOUT', `model stream idle for ${options.idleTimeoutMs} ms`, {
        retryable: true,
        cause: error,
      });
    }
    const mapped = toModelError(error, options.sdkErrors);
    // A stream that broke after it started (socket reset, truncated body) is a connection
    // failure, whatever class the runtime gave it.
    if (state.started && mapped.code === 'INTERNAL') {
      throw new AppError('MODEL_CONNECTION', `model stream broke: ${mapped.message}`, {
        retryable: true,
        cause: error,
      });
    }
    throw mapped;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}
