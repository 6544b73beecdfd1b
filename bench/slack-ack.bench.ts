import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { buildPlanModal } from '../src/slack/plan-modal.ts';
import type { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { startSlackService } from '../test/helpers/slack-service.ts';
import { until } from '../test/helpers/until.ts';
import { signSlackRequest, slashCommandBody } from '../test/helpers/slack-signing.ts';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const COMMAND = '/integration-plan';
const CHANNEL = 'C0BENCHACK';

export type AckTarget = 'service' | 'bare Bolt';

export interface AckBenchOptions {
  /** Signed slash commands in flight at once. */
  readonly concurrency: number;
  /** Measured rounds per app, interleaved with the other app's. */
  readonly rounds: number;
  /** Rounds per app before measuring (JIT, connection pools, Bolt's first auth). */
  readonly warmupRounds: number;
}

export interface AckFigures {
  readonly target: AckTarget;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Answers other than HTTP 200 (they count in the latencies too). */
  readonly errors: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * A Bolt app with nothing of ours: its own HTTPReceiver and server, the same signing secret, and
 * a command handler that acknowledges, then opens the same modal on the same fake Slack.
 */
async function startBareBolt(slack: FakeSlackApi): Promise<{ url: string; close(): Promise<void> }> {
  const receiver = new HTTPReceiver({
    signingSecret: SECRET,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    token: slack.botToken,
    receiver,
    logLevel: LogLevel.ERROR,
    deferInitialization: true,
    clientOptions: { slackApiUrl: slack.url },
  });
  await app.init();
  app.command(COMMAND, async ({ ack, command, client }) => {
    await ack();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: buildPlanModal({ channelId: command.channel_id, language: 'en' }, { language: 'en' }),
    });
  });
  const server: Server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Answer {
  readonly ms: number;
  readonly status: number;
}

/** POSTs a pre-signed body; the time runs from handing the request to node:http to the end of the answer. */
function timedPost(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * One round: `concurrency` slash commands, each with its own trigger id (so its own signature,
 * which the service's replay guard admits), all signed before the first is sent, then fired at
 * once. Waits until every handler has opened its modal, so no round's tail work leaks into the
 * next round's figures.
 */
async function round(agent: Agent, url: URL, slack: FakeSlackApi, id: string, concurrency: number): Promise<Answer[]> {
  const triggers = Array.from({ length: concurrency }, (_, index) => `${id}.${index}.0123456789abcdef`);
  const requests = triggers.map((triggerId) => {
    const body = slashCommandBody({ text: '', command: COMMAND, teamId: slack.teamId, channelId: CHANNEL, triggerId });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, SECRET) };
    return { body, headers };
  });
  const answers = await Promise.all(requests.map(({ body, headers }) => timedPost(agent, url, body, headers)));
  const wanted = new Set(triggers);
  await until(() => {
    const opened = slack.callsTo('views.open').filter((call) => wanted.has(String(call.body['trigger_id']))).length;
    return opened === concurrency ? true : undefined;
  }, 20_000);
  return answers;
}

function figures(target: AckTarget, answers: readonly Answer[]): AckFigures {
  const sorted = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  return {
    target,
    requests: answers.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    errors: answers.filter((answer) => answer.status !== 200).length,
  };
}

/**
 * Time to the HTTP answer of a signed slash command, the real service (replay guard, Bolt's
 * HTTPReceiver, our handler: ack, then users.info for the locale, the plan limit and views.open)
 * against a bare Bolt app answering the same request, in one process on loopback, through one
 * keep-alive client. Rounds alternate between the two (and which goes first), so machine noise
 * lands on both. Everything shares one event loop, so what a handler does right after its ack
 * (and the fake Slack answering it) delays the rest of the burst: the bare app's immediate
 * views.open costs it more than the service's users.info first, which can put the ratio below 1.
 */
export async function benchSlackAck(options: AckBenchOptions): Promise<AckFigures[]> {
  const harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    env: { SLACK_COMMAND: COMMAND },
  });
  const bare = await startBareBolt(harness.slack);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const urls: Record<AckTarget, URL> = { service: new URL(harness.events), 'bare Bolt': new URL(bare.url) };
  const answers: Record<AckTarget, Answer[]> = { service: [], 'bare Bolt': [] };
  try {
    const total = options.warmupRounds + options.rounds;
    for (let index = 0; index < total; index += 1) {
      const order: AckTarget[] = index % 2 === 0 ? ['service', 'bare Bolt'] : ['bare Bolt', 'service'];
      for (const target of order) {
        const id = `${target === 'service' ? 'svc' : 'bare'}${index}`;
        const result = await round(agent, urls[target], harness.slack, id, options.concurrency);
        if (index >= options.warmupRounds) answers[target].push(...result);
      }
    }
  } finally {
    agent.destroy();
    await bare.close();
    await harness.stop();
  }
  return [figures('service', answers.service), figures('bare Bolt', answers['bare Bolt'])];
}
