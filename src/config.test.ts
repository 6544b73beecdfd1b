import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from './config-env.ts';
import { loadConfig } from './config.ts';
import { AppError } from './errors.ts';

/** The CONFIG_INVALID message of a bad environment. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONFIG_INVALID') return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('has finite plan and cost limits by default, and 0 switches one off', () => {
    expect(loadConfig({}).limits).toEqual({
      userPerHour: 10,
      workspacePerHour: 60,
      workspacePerDay: 300,
      workspaceCostPerDayUsd: 50,
    });
    expect(loadConfig({ COST_LIMIT_WORKSPACE_USD_PER_DAY: '0' }).limits.workspaceCostPerDayUsd).toBe(0);
    expect(problem({ PLAN_LIMIT_USER_PER_HOUR: '-1' })).toContain('PLAN_LIMIT_USER_PER_HOUR');
    expect(problem({ COST_LIMIT_WORKSPACE_USD_PER_DAY: 'lots' })).toContain('COST_LIMIT_WORKSPACE_USD_PER_DAY');
  });

  it('lets every running plan write its sections at once unless LLM_MAX_CONCURRENCY says otherwise', () => {
    // Four plans (the default) of seven parallel sections each: a cap of 16 made some wait.
    expect(loadConfig({}).llm.maxConcurrency).toBe(32);
    expect(loadConfig({ PLAN_WORKER_CONCURRENCY: '10' }).llm.maxConcurrency).toBe(80);
    expect(loadConfig({ PLAN_WORKER_CONCURRENCY: '10', LLM_MAX_CONCURRENCY: '5' }).llm.maxConcurrency).toBe(5);
    expect(problem({ LLM_MAX_CONCURRENCY: '0' })).toContain('LLM_MAX_CONCURRENCY');
  });

  it('turns Teams on with an app id, or unauthenticated with TEAMS_ENABLED outside production only', () => {
    expect(loadConfig({}).teams).toBeUndefined();
    expect(loadConfig({ TEAMS_ENABLED: 'true' }).teams).toEqual({
      appId: undefined,
      appPassword: undefined,
      appType: 'MultiTenant',
      tenantId: undefined,
      pacing: true,
    });
    expect(loadConfig({ TEAMS_ENABLED: 'true', TEAMS_PACING: 'false' }).teams?.pacing).toBe(false);
    expect(problem({ TEAMS_ENABLED: 'true', TEAMS_PACING: 'yes' })).toContain('TEAMS_PACING');
    expect(problem({ TEAMS_ENABLED: 'true', NODE_ENV: 'production' })).toContain(
      'MicrosoftAppId: required for Teams in production',
    );
    expect(loadConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'pw' }).teams?.appId).toBe('app-id');
    expect(problem({ MicrosoftAppId: 'app-id' })).toContain('MicrosoftAppPassword: required with MicrosoftAppId');
    expect(
      problem({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' }),
    ).toContain('MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
    expect(
      loadConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'pw', TEAMS_ENABLED: 'false' }).teams,
    ).toBeUndefined();
  });

  it('requires the Slack signing secret for HTTP mode, not for Socket Mode', () => {
    expect(problem({ SLACK_BOT_TOKEN: 'xoxb-1' })).toContain('SLACK_SIGNING_SECRET: required');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.signingSecret).toBeUndefined();
    expect(problem({ SLACK_BOT_TOKEN: 'xapp-wrong', SLACK_SIGNING_SECRET: 's' })).toContain('must be a bot token');
  });

  it('reads the shutdown grace period', () => {
    expect(loadConfig({}).shutdownGraceSeconds).toBe(25);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '3' }).shutdownGraceSeconds).toBe(3);
  });

  it('reads the spec download allow-list and time cap, naming a bad entry', () => {
    expect(loadConfig({}).specFetch).toEqual({ allowHosts: [], timeoutMs: 15_000 });
    expect(
      loadConfig({ SPEC_FETCH_ALLOW_HOSTS: '127.0.0.1, localhost:8080', SPEC_FETCH_TIMEOUT_MS: '5000' }).specFetch,
    ).toEqual({
      allowHosts: [
        { host: '127.0.0.1', port: undefined },
        { host: 'localhost', port: 8080 },
      ],
      timeoutMs: 5000,
    });
    expect(problem({ SPEC_FETCH_ALLOW_HOSTS: 'specs.internal,*.corp' })).toContain(
      'SPEC_FETCH_ALLOW_HOSTS: "*.corp" is not host or host:port',
    );
    expect(problem({ SPEC_FETCH_TIMEOUT_MS: '0' })).toContain('SPEC_FETCH_TIMEOUT_MS');
    expect(problem({ SPEC_FETCH_TIMEOUT_MS: '3000000000' })).toContain('SPEC_FETCH_TIMEOUT_MS');
  });

  it('opens the spec catalog only for a directory that exists', () => {
    expect(loadConfig({}).specCatalogDir).toBeUndefined();
    expect(loadConfig({ SPEC_CATALOG_DIR: import.meta.dirname }).specCatalogDir).toBe(import.meta.dirname);
    expect(problem({ SPEC_CATALOG_DIR: '/nowhere/specs' })).toContain('SPEC_CATALOG_DIR: is not a directory');
    expect(problem({ SPEC_CATALOG_DIR: import.meta.filename })).toContain('SPEC_CATALOG_DIR: is not a directory');
  });

  it('treats an empty variable as unset, every one of them', () => {
    // As Bot Framework samples' .env files (MicrosoftAppType=) and CI systems (a missing secret) set them.
    const empty = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, '']));
    expect(loadConfig(empty)).toEqual(loadConfig({}));
    const blank = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, '  ']));
    expect(loadConfig(blank)).toEqual(loadConfig({}));
  });

  it('starts Teams with MicrosoftAppType= as in the Bot Framework samples, and other empty variables beside it', () => {
    const config = loadConfig({
      MicrosoftAppId: 'app-id',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppType: '',
      MicrosoftAppTenantId: '',
      PORT: '',
      LLM_PROVIDER: '',
      ANTHROPIC_BASE_URL: '',
      DATABASE_URL: '',
      SLACK_BOT_TOKEN: '',
      LLM_PRICES: '',
    });
    expect(config.teams?.appType).toBe('MultiTenant');
    expect(config.teams?.tenantId).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.llm.provider).toBe('anthropic');
    expect(config.llm.anthropic.baseURL).toBeUndefined();
    expect(config.database.url).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.llm.prices).toEqual({});
    // Empty is unset, so a rule that needs the variable still applies.
    expect(problem({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: '' })).toContain(
      'MicrosoftAppPassword: required with MicrosoftAppId',
    );
  });
});
