/**
 * One error family for the whole app: a stable `code` for logs, metrics and user messages,
 * `retryable` for job and retry policies, and the original `cause`. Users never see `message`
 * (it may carry details); they see the fixed text for the code (src/core/user-messages.ts).
 */
export const ERROR_CODES = [
  'CONFIG_INVALID',
  'PROMPT_INVALID',
  'INPUT_INVALID',
  'MODEL_RATE_LIMITED',
  'MODEL_OVERLOADED',
  'MODEL_AUTH_FAILED',
  'MODEL_BAD_REQUEST',
  'MODEL_TIMEOUT',
  'MODEL_CONNECTION',
  'MODEL_SERVER_ERROR',
  'MODEL_CIRCUIT_OPEN',
  'MODEL_BUSY',
  'MODEL_EMPTY_OUTPUT',
  'MISSING_API_KEY',
  'PLAN_INTERRUPTED',
  'PLAN_LIMIT_REACHED',
  'SPEC_INVALID',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  /** Seconds the caller should wait before trying again, when the peer said so. */
  readonly retryAfterSeconds?: number;
  /** The peer's request id (model provider), for support tickets and logs. */
  readonly requestId?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.requestId = options.requestId;
  }
}

/** A field-level problem in user input; `field` names the input, `message` is user-facing. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export class InputError extends AppError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super('INPUT_INVALID', issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
    this.name = 'InputError';
    this.issues = issues;
  }
}

/**
 * Which limit was reached: a person's plans per hour, the workspace's (tenant's) plans per hour
 * or per UTC day, or the workspace's model cost per UTC day.
 */
export type LimitScope = 'user' | 'workspace' | 'workspace_daily' | 'workspace_cost';

/** Too many plans started in the limit's window; `resetAt` is when the next one is allowed. */
export class PlanLimitError extends AppError {
  readonly scope: LimitScope;
  readonly limit: number;
  readonly resetAt: Date;

  constructor(options: { scope: LimitScope; limit: number; resetAt: Date; now: Date }) {
    const waitSeconds = Math.max(1, Math.ceil((options.resetAt.getTime() - options.now.getTime()) / 1000));
    super('PLAN_LIMIT_REACHED', `${options.scope} limit of ${String(options.limit)} reached`, {
      retryAfterSeconds: waitSeconds,
    });
    this.name = 'PlanLimitError';
    this.scope = options.scope;
    this.limit = options.limit;
    this.resetAt = options.resetAt;
  }
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', message, { cause: error });
}
