import * as AnthropicErrors from '@anthropic-ai/sdk';
import * as OpenAIErrors from 'openai';
import { AppError, type ErrorCode } from '../errors.ts';

type SdkApiError = AnthropicErrors.APIError | OpenAIErrors.APIError;

function isSdkError(error: unknown): error is SdkApiError {
  return error instanceof AnthropicErrors.APIError || error instanceof OpenAIErrors.APIError;
}

function isConnectionTimeout(error: unknown): boolean {
  return error instanceof AnthropicErrors.APIConnectionTimeoutError || error instanceof OpenAIErrors.APIConnectionTimeoutError;
}

function isConnectionError(error: unknown): boolean {
  return error instanceof AnthropicErrors.APIConnectionError || error instanceof OpenAIErrors.APIConnectionError;
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
  if (status === 529 || status === 503 || type === 'overloaded_error') return { code: 'MODEL_OVERLOADED', retryable: true };
  if (status === 408) return { code: 'MODEL_TIMEOUT', retryable: true };
  if (status === 409 || status >= 500) return { code: 'MODEL_SERVER_ERROR', retryable: true };
  if (status === 401 || status === 403) return { code: 'MODEL_AUTH_FAILED', retryable: false };
  return { code: 'MODEL_BAD_REQUEST', retryable: false };
}

/**
 * Turns whatever an SDK call threw into an AppError with a stable code, whether it may be
 * retried, the provider's request id and its retry-after. The SDK message stays in `message`
 * for the logs; users see only the fixed text for the code.
 */
export function toModelError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isConnectionTimeout(error)) {
    return new AppError('MODEL_TIMEOUT', 'model request timed out', { retryable: true, cause: error });
  }
  if (isConnectionError(error)) {
    const detail = error instanceof Error ? error.message : 'connection failed';
    return new AppError('MODEL_CONNECTION', `model connection failed: ${detail}`, { retryable: true, cause: error });
  }
  if (isSdkError(error) && typeof error.status === 'number') {
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
