import { statSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_SPEC_FETCH_TIMEOUT_MS, parseAllowedHosts, type AllowedHost } from './grounding/spec-fetch-settings.ts';
import { PROVIDERS } from './llm/model-client.ts';
import { priceTableSchema, type PriceTable } from './llm/pricing.ts';
import { LANGUAGES } from './prompts/section-keys.ts';

// The environment variables the service reads, each with its check and default; config.ts turns
// them into settings. Reading process.env stays in config.ts alone.

const optionalText = z.string().trim().optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const jsonPrices = z
  .string()
  .optional()
  .transform((text, ctx): PriceTable => {
    if (text === undefined) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"my-model":{"input":1,"output":4}}' });
      return z.NEVER;
    }
    const result = priceTableSchema.safeParse(parsed);
    if (!result.success) {
      ctx.addIssue({ code: 'custom', message: `price table: ${result.error.issues[0]?.message ?? 'invalid'}` });
      return z.NEVER;
    }
    return result.data;
  });

const allowedHosts = z
  .string()
  .optional()
  .transform((text, ctx): AllowedHost[] => {
    try {
      return parseAllowedHosts(text ?? '');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).default(25),
  PROMPTS_DIR: optionalText,
  LLM_PROVIDER: z.enum(PROVIDERS).default('anthropic'),
  LLM_MODEL: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.url().optional(),
  LLM_TIMEOUT_MS: positiveInt(120_000),
  LLM_IDLE_TIMEOUT_MS: positiveInt(60_000),
  LLM_MAX_ATTEMPTS: positiveInt(4),
  LLM_RETRY_BASE_MS: positiveInt(1_000),
  LLM_RETRY_MAX_DELAY_MS: positiveInt(60_000),
  LLM_BREAKER_THRESHOLD: positiveInt(5),
  LLM_BREAKER_HALF_OPEN_MS: positiveInt(30_000),
  LLM_MAX_CONCURRENCY: z.coerce.number().int().positive().optional(),
  LLM_QUEUE_LIMIT: positiveInt(500),
  LLM_PRICES: jsonPrices,
  PLAN_STRATEGY: z.enum(['parallel', 'single']).default('parallel'),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/u }).optional()),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/u, 'must be a lower-case SQL identifier')
    .default('public'),
  DATABASE_POOL_MAX: positiveInt(10),
  DATA_DIR: optionalText,
  PLAN_WORKER_CONCURRENCY: positiveInt(4),
  PROCESS_ROLE: z.enum(['all', 'web', 'worker']).optional(),
  PLAN_WORKER_PROCESSES: z.coerce.number().int().min(0).max(16).default(1),
  PLAN_WORKSPACE_CONCURRENCY: positiveInt(2),
  PLAN_JOB_RETRY_LIMIT: z.coerce.number().int().min(0).default(3),
  PLAN_JOB_RETRY_DELAY_SECONDS: positiveInt(10),
  PLAN_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).default(30),
  PLAN_JOB_EXPIRE_SECONDS: positiveInt(1800),
  PLAN_JOB_SUPERVISE_SECONDS: positiveInt(30),
  PLAN_JOB_POLL_SECONDS: z.coerce.number().min(0.5).default(1),
  SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional()),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional()),
  SLACK_API_URL: z.url().optional(),
  SLACK_POST_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  SLACK_COMMAND: z
    .string()
    .regex(/^\/[a-z0-9_-]+$/u, 'must look like /integration-plan')
    .default('/integration-plan'),
  PLAN_DEFAULT_LANGUAGE: z.enum(LANGUAGES).default('en'),
  SPEC_FETCH_ALLOW_HOSTS: allowedHosts,
  SPEC_CATALOG_DIR: optionalText.pipe(
    z
      .string()
      .refine((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true, 'is not a directory')
      .optional(),
  ),
  // At most 10 minutes: a plan job waits on the download, and timers overflow past 2^31 ms.
  SPEC_FETCH_TIMEOUT_MS: positiveInt(DEFAULT_SPEC_FETCH_TIMEOUT_MS).pipe(z.number().max(600_000)),
  PLAN_APPROVERS: optionalText.transform((text) =>
    text === undefined
      ? undefined
      : text
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
  ),
  PLAN_LIMIT_USER_PER_HOUR: z.coerce.number().int().min(0).default(10),
  PLAN_LIMIT_WORKSPACE_PER_HOUR: z.coerce.number().int().min(0).default(60),
  PLAN_LIMIT_WORKSPACE_PER_DAY: z.coerce.number().int().min(0).default(300),
  COST_LIMIT_WORKSPACE_USD_PER_DAY: z.coerce.number().min(0).default(50),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalText,
  TEAMS_ENABLED: z.enum(['true', 'false']).optional(),
  TEAMS_PACING: z.enum(['true', 'false']).default('true'),
});

/** Every environment variable the service reads (deployment files are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Env = z.infer<typeof envSchema>;
