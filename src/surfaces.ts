import type { Metrics } from './observability/metrics.ts';
import type { Runtime } from './runtime.ts';
import type { SlackSettings } from './slack/slack-settings.ts';
import type { TeamsSettings } from './teams/teams-settings.ts';

/*
 * The platforms' parts, loaded only when a platform is configured (a Teams-only service does not
 * pay for Bolt's memory, a Slack-only one not for botbuilder's), and only the parts a process's
 * role needs: plan workers post into threads, the web process answers Slack's and Teams' requests.
 */

/** Counts a platform's API calls by method and outcome (status 0: no answer), and its 429s. */
export function observePlatformCalls(metrics: Metrics, platform: 'slack' | 'teams') {
  return (method: string, status: number) => {
    const outcome = status === 429 ? 'rate_limited' : status > 0 && status < 400 ? 'ok' : 'error';
    metrics.platformCalls.inc({ platform, method, outcome });
    if (status === 429) metrics.platformRateLimited.inc({ platform, method });
  };
}

/** What plan and answer jobs post through in Slack (Web API clients; no Bolt). */
export async function loadSlackPosting(runtime: Runtime, slack: SlackSettings, metrics: Metrics) {
  const { logger, store } = runtime;
  const [{ createSlackClient, createBestEffortSlackClient }, { createSlackPlanThread }, { createSlackAnswerPoster }] =
    await Promise.all([
      import('./slack/slack-client.ts'),
      import('./slack/slack-thread-poster.ts'),
      import('./slack/slack-answer-poster.ts'),
    ]);
  const observe = observePlatformCalls(metrics, 'slack');
  const client = createSlackClient(slack, logger, observe);
  return {
    answers: createSlackAnswerPoster({ client, logger }),
    delivery: createSlackPlanThread({
      client,
      bestEffortClient: createBestEffortSlackClient(slack, logger, observe),
      logger,
      postIntervalMs: runtime.config.slackPostIntervalMs,
      store,
    }),
  };
}

/** Bolt's app: what answers Slack's commands, interactions and events. */
export async function loadSlackApp() {
  const { createSlackApp } = await import('./slack/slack-app.ts');
  return createSlackApp;
}

/** Teams' pieces: proactive posting for the jobs, the /api/messages listener for the web process. */
export async function loadTeams(runtime: Runtime, teams: TeamsSettings, metrics: Metrics) {
  const { createTeamsSide } = await import('./teams/teams-app.ts');
  const onRefused = (reason: string) => metrics.ingressRefused.inc({ surface: 'teams', reason });
  return createTeamsSide(teams, runtime.logger, observePlatformCalls(metrics, 'teams'), onRefused);
}
