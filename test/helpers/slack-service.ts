import type { Provider } from '../../src/llm/model-client.ts';
import type { Service } from '../../src/service.ts';
import type { FakeModelOptions, FakeModelServer } from '../fakes/fake-model-types.ts';
import { createPlanWriter, type PlanWriterOptions } from '../fakes/plan-writer.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { fakeEnv, startFake } from './model-harness.ts';
import { loadTestPrompts } from './prompts.ts';
import { startServiceInProcess, type InProcessServiceOptions } from './service.ts';

export interface SlackService {
  readonly slack: FakeSlackApi;
  readonly model: FakeModelServer;
  readonly service: Service;
  /** The service's real Slack endpoint. */
  readonly events: string;
  stop(): Promise<void>;
}

/**
 * The real service (main.ts) on an ephemeral port with embedded PGlite, talking to a fake Slack
 * Web API and a fake model on loopback; Slack requests come in signed with `signingSecret`, or
 * over Socket Mode when `socketUrl` is given.
 */
export async function startSlackService(options: {
  /** HTTP mode: what Slack signs requests to /slack/events with. */
  readonly signingSecret?: string;
  /** Socket Mode instead: the app token's `apps.connections.open` hands out this URL (fake-slack-socket.ts). */
  readonly socketUrl?: string;
  readonly provider: Provider;
  readonly writer?: PlanWriterOptions;
  readonly channelsWithoutBot?: readonly string[];
  /** More environment for the service (limits, strategy …). */
  readonly env?: Readonly<Record<string, string>>;
  /** canvases.create answers this error (a free workspace). */
  readonly canvasError?: string;
  /** The bot token the fake Slack accepts (and the service gets). */
  readonly botToken?: string;
  /** Where the service logs (default: silent unless TEST_LOG_LEVEL is set). */
  readonly log?: InProcessServiceOptions['log'];
  /** The fake model's pace (default: as fast as it can). */
  readonly pace?: Pick<FakeModelOptions, 'tokensPerSecond' | 'firstTokenLatencyMs'>;
  /** A stream without appends for this long stops streaming (Slack's expiry; default 5 min). */
  readonly streamExpiryMs?: number;
}): Promise<SlackService> {
  const prompts = await loadTestPrompts();
  const slack = await startFakeSlackApi({
    channelsWithoutBot: options.channelsWithoutBot ?? [],
    socketUrl: options.socketUrl,
    ...(options.canvasError === undefined ? {} : { canvasError: options.canvasError }),
    ...(options.botToken === undefined ? {} : { botToken: options.botToken }),
    ...(options.streamExpiryMs === undefined ? {} : { streamExpiryMs: options.streamExpiryMs }),
  });
  const model = await startFake(options.provider, {
    respond: createPlanWriter(prompts, options.writer),
    ...options.pace,
  });
  const { service } = await startServiceInProcess(
    {
      ...fakeEnv(options.provider, model),
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: options.signingSecret,
      SLACK_APP_TOKEN: options.socketUrl === undefined ? undefined : slack.appToken,
      SLACK_API_URL: slack.url,
      SLACK_POST_INTERVAL_MS: '0',
      PLAN_JOB_POLL_SECONDS: '0.5',
      ...options.env,
    },
    { ...(options.log === undefined ? {} : { log: options.log }) },
  );
  return {
    slack,
    model,
    service,
    events: `http://127.0.0.1:${service.port}/slack/events`,
    async stop() {
      await service.stop();
      await Promise.all([slack.close(), model.close()]);
    },
  };
}
