import { AppError, type ErrorCode } from '../errors.ts';

/** What an SDK's API error carries (both official SDKs share this shape). */
interface SdkApiError extends Error {
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
  readonly type?: string | null | undefined;
  readonly requestID?: string | null | undefined;
}

type ErrorClass<T extends Error = Error> = abstract new (...args: never[]) => T;

/**
 * The error classes of the provider's SDK. Each provider client passes its own, so this module
 * imports no SDK and a process loads only the SDK it talks to.
 */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass<SdkApiError>;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
}

/** Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date), if present. */
export function retryAfterSeconds(headers: Headers | undefined, nowMs: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

function codeForStatus(status: number, type: string | null | undefined): { code: ErrorCode; retryable: boolean } {
  if (status === 429) return { code: 'MODEL_RATE_LIMITED', retryable: true };
  if (status === 529 || status === 503 || type === 'overloaded_error')
    return { code: 'MODEL_OVERLOADED', retryable: true };
  if (status === 408) return { code: 'MODEL_TIMEOUT', retryable: true };
  if (status === 409 || status >= 500) return { code: 'MODEL_SERVER_ERROR', retryable: true };
  if (status === 401 || status === 403) return { code: 'MODEL_AUTH_FAILED', retryable: false };
  return { code: 'MODEL_BAD_REQUEST', retryable: false };
}

/**
 * Turns whatever an SDK call threw into an AppError with a stable code, whether it may be
 * retried, the provider's request id and its retry-after. The SDK message stays in `message`
 * for the logs; users see only the fixed text for the code. Without `sdk` (errors already
 * mapped by the provider client) anything but an AppError is INTERNAL.
 */
export function toModelError(error: unknown, sdk?: SdkErrorClasses): AppError {
  if (error instanceof AppError) return error;
  if (sdk !== undefined && error instanceof sdk.APIConnectionTimeoutError) {
    return new AppError('MODEL_TIMEOUT', 'model request timed out', { retryable: true, cause: error });
  }
  if (sdk !== undefined && error instanceof sdk.APIConnectionError) {
    const detail = error instanceof Error ? error.message : 'connection failed';
    return new AppError('MODEL_CONNECTION', `model connection failed: ${detail}`, { retryable: true, cause: error });
  }
  if (sdk !== undefined && error instanceof sdk.APIError && typeof error.status === 'number') {
    const { code, retryable } = codeForStatus(error.status, error.type);
    const retryAfter = retryAfterSeconds(error.headers);
    return new AppError(code, `model API answered ${error.status}: ${error.message}`, {
      retryable,
      cause: error,
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      ...(error.requestID ? { requestId: error.requestID } : {}),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', `unexpected model client error: ${message}`, { cause: error });
}
