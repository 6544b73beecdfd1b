import path from 'node:path';
import { envSchema, type Env } from './config-env.ts';
import { AppError } from './errors.ts';
import { PACKAGE_ROOT } from './package-root.ts';
import type { SpecFetchSettings } from './grounding/spec-fetch-settings.ts';
import type { Language } from './prompts/section-keys.ts';
import type { ModelSettings } from './llm/model-settings.ts';
import type { PlanQueueSettings } from './plans/queue-settings.ts';
import type { SlackSettings } from './slack/slack-settings.ts';
import type { DatabaseSettings } from './store/database-settings.ts';
import type { TeamsSettings } from './teams/teams-settings.ts';

/** Model calls one running plan makes at once: the parallel strategy's seven sections, and a spare. */
const MODEL_CALLS_PER_RUNNING_PLAN = 8;

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  /** Undefined: each entry point picks its default (the CLI stays quiet). */
  readonly logLevel: string | undefined;
  readonly port: number;
  /** On SIGTERM, how long running plans may take to finish before they go back to the queue. */
  readonly shutdownGraceSeconds: number;
  readonly promptsDir: string;
  readonly llm: ModelSettings;
  readonly plan: {
    readonly strategy: 'parallel' | 'single';
    readonly defaultLanguage: Language;
  };
  readonly database: DatabaseSettings;
  /** Spacing between posts to one Slack channel. */
  readonly slackPostIntervalMs: number;
  /** Undefined when Slack is not configured (no bot token). */
  readonly slack: SlackSettings | undefined;
  /** Plans a user / a workspace may start (0: no limit). Re-runs count; days are UTC days. */
  readonly limits: {
    readonly userPerHour: number;
    readonly workspacePerHour: number;
    readonly workspacePerDay: number;
    readonly workspaceCostPerDayUsd: number;
  };
  /**
   * Who may approve a revision or request changes (Slack user ids, Teams AAD object ids);
   * undefined: anyone in the conversation, and the record says who did.
   */
  readonly approvers: ReadonlySet<string> | undefined;
  /**
   * Teams (botbuilder's names). Undefined when Teams is off: no MicrosoftAppId and TEAMS_ENABLED
   * not "true". Without an app id the endpoint is unauthenticated (local testing only).
   */
  readonly teams: TeamsSettings | undefined;
  readonly jobs: PlanQueueSettings;
  /**
   * How the service runs as processes: `role` from PROCESS_ROLE (undefined: `npm start` decides,
   * see main.ts); `workerProcesses`: plan worker processes the web process starts on Postgres.
   */
  readonly process: { readonly role: 'all' | 'web' | 'worker' | undefined; readonly workerProcesses: number };
  /** Downloading a spec from a URL: hosts opened for http and non-public addresses, time cap. */
  readonly specFetch: SpecFetchSettings;
  /** A directory of public API specs for plans given none (SPEC_CATALOG_DIR); off when undefined. */
  readonly specCatalogDir: string | undefined;
}

/**
 * The environment without its empty variables: `NAME=` (or only blanks) means unset, as in the
 * Bot Framework samples' .env files and CI systems that set a missing secret to ''. Done once
 * here so that every variable gets its default instead of an "Invalid option".
 */
function withoutEmptyVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads and validates the environment once. The only place that touches `process.env`; a bad
 * value throws a CONFIG_INVALID AppError naming every offending variable and what is wrong. An
 * empty variable counts as unset.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(env);
  return deepFreeze({
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    promptsDir: path.resolve(e.PROMPTS_DIR ?? path.join(PACKAGE_ROOT, 'prompts')),
    llm: modelSettings(e),
    plan: { strategy: e.PLAN_STRATEGY, defaultLanguage: e.PLAN_DEFAULT_LANGUAGE },
    database: {
      url: e.DATABASE_URL,
      schema: e.DATABASE_SCHEMA,
      poolMax: e.DATABASE_POOL_MAX,
      // memory:// is PGlite's in-memory database (tests, demos), not a path.
      dataDir: e.DATA_DIR?.startsWith('memory://') === true ? e.DATA_DIR : path.resolve(e.DATA_DIR ?? 'data'),
    },
    slackPostIntervalMs: e.SLACK_POST_INTERVAL_MS,
    slack:
      e.SLACK_BOT_TOKEN === undefined
        ? undefined
        : {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            command: e.SLACK_COMMAND,
          },
    approvers: e.PLAN_APPROVERS === undefined ? undefined : new Set(e.PLAN_APPROVERS),
    limits: {
      userPerHour: e.PLAN_LIMIT_USER_PER_HOUR,
      workspacePerHour: e.PLAN_LIMIT_WORKSPACE_PER_HOUR,
      workspacePerDay: e.PLAN_LIMIT_WORKSPACE_PER_DAY,
      workspaceCostPerDayUsd: e.COST_LIMIT_WORKSPACE_USD_PER_DAY,
    },
    teams: !teamsOn(e)
      ? undefined
      : {
          appId: e.MicrosoftAppId,
          appPassword: e.MicrosoftAppPassword,
          appType: e.MicrosoftAppType,
          tenantId: e.MicrosoftAppTenantId,
          pacing: e.TEAMS_PACING === 'true',
        },
    jobs: {
      concurrency: e.PLAN_WORKER_CONCURRENCY,
      workspaceConcurrency: e.PLAN_WORKSPACE_CONCURRENCY,
      retryLimit: e.PLAN_JOB_RETRY_LIMIT,
      retryDelaySeconds: e.PLAN_JOB_RETRY_DELAY_SECONDS,
      heartbeatSeconds: e.PLAN_JOB_HEARTBEAT_SECONDS,
      expireSeconds: e.PLAN_JOB_EXPIRE_SECONDS,
      superviseSeconds: e.PLAN_JOB_SUPERVISE_SECONDS,
      pollSeconds: e.PLAN_JOB_POLL_SECONDS,
    },
    process: { role: e.PROCESS_ROLE, workerProcesses: e.PLAN_WORKER_PROCESSES },
    specFetch: { allowHosts: e.SPEC_FETCH_ALLOW_HOSTS, timeoutMs: e.SPEC_FETCH_TIMEOUT_MS },
    specCatalogDir: e.SPEC_CATALOG_DIR === undefined ? undefined : path.resolve(e.SPEC_CATALOG_DIR),
  });
}

/** The variables, checked one by one and then together; CONFIG_INVALID lists what is wrong. */
function parseEnv(env: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(withoutEmptyVariables(env));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const problem = slackConfigProblem(result.data) ?? teamsConfigProblem(result.data);
  if (problem !== undefined) throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  ${problem}`);
  return result.data;
}

/** The model, its key and how calls to it are paced and retried. */
function modelSettings(e: Env): ModelSettings {
  return {
    provider: e.LLM_PROVIDER,
    model: e.LLM_MODEL,
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseURL: e.ANTHROPIC_BASE_URL },
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL },
    timeoutMs: e.LLM_TIMEOUT_MS,
    idleTimeoutMs: e.LLM_IDLE_TIMEOUT_MS,
    maxAttempts: e.LLM_MAX_ATTEMPTS,
    retryBaseMs: e.LLM_RETRY_BASE_MS,
    retryMaxDelayMs: e.LLM_RETRY_MAX_DELAY_MS,
    breakerThreshold: e.LLM_BREAKER_THRESHOLD,
    breakerHalfOpenMs: e.LLM_BREAKER_HALF_OPEN_MS,
    // Enough for every plan the process runs to write all its sections at once (parallel strategy).
    maxConcurrency: e.LLM_MAX_CONCURRENCY ?? e.PLAN_WORKER_CONCURRENCY * MODEL_CALLS_PER_RUNNING_PLAN,
    queueLimit: e.LLM_QUEUE_LIMIT,
    prices: e.LLM_PRICES,
  };
}

/** Teams is on with an app id or TEAMS_ENABLED=true, unless TEAMS_ENABLED=false. */
function teamsOn(e: Env): boolean {
  return e.TEAMS_ENABLED !== 'false' && (e.MicrosoftAppId !== undefined || e.TEAMS_ENABLED === 'true');
}

/**
 * HTTP mode needs the signing secret to verify requests (Security: without it anyone could post
 * commands); production refuses to start without it. Socket Mode needs no public endpoint.
 */
function slackConfigProblem(e: Env): string | undefined {
  if (e.SLACK_BOT_TOKEN === undefined) {
    return e.SLACK_APP_TOKEN !== undefined || e.SLACK_SIGNING_SECRET !== undefined
      ? 'SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set'
      : undefined;
  }
  if (e.SLACK_APP_TOKEN === undefined && e.SLACK_SIGNING_SECRET === undefined) {
    return 'SLACK_SIGNING_SECRET: required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)';
  }
  return undefined;
}

/**
 * Teams without an app id accepts unauthenticated activities: fine on a laptop with the Agents
 * Playground, never in production. A single-tenant bot needs its tenant.
 */
function teamsConfigProblem(e: Env): string | undefined {
  if (!teamsOn(e)) return undefined;
  if (e.MicrosoftAppId === undefined && e.NODE_ENV === 'production') {
    return 'MicrosoftAppId: required for Teams in production (without it the endpoint accepts unauthenticated requests)';
  }
  if (
    e.MicrosoftAppId !== undefined &&
    e.MicrosoftAppType !== 'UserAssignedMSI' &&
    e.MicrosoftAppPassword === undefined
  ) {
    return 'MicrosoftAppPassword: required with MicrosoftAppId';
  }
  if (e.MicrosoftAppType === 'SingleTenant' && e.MicrosoftAppTenantId === undefined) {
    return 'MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant';
  }
  return undefined;
}
