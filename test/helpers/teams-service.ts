import type { Provider } from '../../src/llm/model-client.ts';
import type { Service } from '../../src/service.ts';
import { startFakeBotConnector, type FakeBotConnector } from '../fakes/fake-bot-connector.ts';
import type { FakeModelServer } from '../fakes/fake-model-types.ts';
import { createPlanWriter, type PlanWriterOptions } from '../fakes/plan-writer.ts';
import { fakeEnv, startFake } from './model-harness.ts';
import { loadTestPrompts } from './prompts.ts';
import { startServiceInProcess, type InProcessServiceOptions } from './service.ts';

export interface TeamsService {
  readonly connector: FakeBotConnector;
  readonly model: FakeModelServer;
  readonly service: Service;
  /** The service's real Teams endpoint. */
  readonly endpoint: string;
  /** Posts an activity (or raw text) to /api/messages; `authorization` as the header, if any. */
  post(activity: object | string, authorization?: string): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The real service (main.ts) on an ephemeral port with embedded PGlite and Teams on, talking to a
 * fake Bot Connector and a fake model on loopback. Without `env.MicrosoftAppId` the endpoint is
 * unauthenticated (TEAMS_ENABLED=true), as for local testing.
 */
export async function startTeamsService(options: {
  readonly provider: Provider;
  readonly writer?: PlanWriterOptions;
  readonly env?: Readonly<Record<string, string>>;
  /** Where the service logs (default: silent unless TEST_LOG_LEVEL is set). */
  readonly log?: InProcessServiceOptions['log'];
}): Promise<TeamsService> {
  const prompts = await loadTestPrompts();
  const connector = await startFakeBotConnector();
  const model = await startFake(options.provider, { respond: createPlanWriter(prompts, options.writer) });
  const { service } = await startServiceInProcess(
    {
      ...fakeEnv(options.provider, model),
      TEAMS_ENABLED: 'true',
      PLAN_JOB_POLL_SECONDS: '0.5',
      ...options.env,
    },
    options.log === undefined ? {} : { log: options.log },
  );
  const endpoint = `http://127.0.0.1:${service.port}/api/messages`;
  return {
    connector,
    model,
    service,
    endpoint,
    post: (activity, authorization) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      }),
    async stop() {
      await service.stop();
      await Promise.all([connector.close(), model.close()]);
    },
  };
}
