import { performance } from 'node:perf_hooks';
import { planSubmissionBody, samplePlanForm } from '../test/helpers/plan-form.ts';
import { startSlackService } from '../test/helpers/slack-service.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import type { FakeModelServer } from '../test/fakes/fake-model-types.ts';
import { createPlanWriter } from '../test/fakes/plan-writer.ts';
import { fakeEnv, startFake } from '../test/helpers/model-harness.ts';
import { loadTestPrompts } from '../test/helpers/prompts.ts';
import { NO_PLAN_LIMITS, slackServiceEnv, startServiceProcess } from '../test/helpers/service.ts';
import { dropSchemas, uniqueSchema } from '../test/helpers/test-database.ts';
import { testEnv } from '../test/helpers/test-env.ts';
import { eventCallbackBody, postSigned } from '../test/helpers/slack-signing.ts';
import { until } from '../test/helpers/until.ts';
import { percentile } from './slack-ack.bench.ts';

const SECRET = 'bench-questions-signing-secret-0123456789';
const CHANNEL = 'C0BENCHQA';

export interface QuestionFigures {
  readonly questions: number;
  /** Event posted → Slack received the first answer text (chat.startStream with markdown_text). */
  readonly firstTextP50Ms: number;
  readonly firstTextP95Ms: number;
  readonly firstTextMaxMs: number;
  /** Event posted → the stream was stopped with the sources footer. */
  readonly doneP50Ms: number;
  /** Acknowledgements of the event other than HTTP 200. */
  readonly errors: number;
}

/**
 * `one process`: the service in this process on PGlite. `split`: `npm start`'s shape on Postgres,
 * a web process that takes the event and a worker process that answers (woken through NOTIFY).
 */
export type QuestionShape = 'one process' | 'split';

/** The service as `npm start` runs it on Postgres (a schema of its own), with one plan worker process. */
async function startSplitService(
  firstTokenMs: number,
): Promise<{ slack: FakeSlackApi; events: string; model: FakeModelServer; stop(): Promise<void> }> {
  const databaseUrl = testEnv('TEST_DATABASE_URL') ?? 'postgres://postgres@127.0.0.1:5432/test';
  const prompts = await loadTestPrompts();
  const model = await startFake('anthropic', { respond: createPlanWriter(prompts), firstTokenLatencyMs: firstTokenMs });
  const slack = await startFakeSlackApi();
  const schema = uniqueSchema();
  const env = slackServiceEnv(
    { model: fakeEnv('anthropic', model), slack, databaseUrl, schema, signingSecret: SECRET },
    { PORT: '0', PLAN_WORKER_PROCESSES: '1', ...NO_PLAN_LIMITS },
  );
  const child = await startServiceProcess(env);
  return {
    slack,
    model,
    events: `${child.url}/slack/events`,
    async stop() {
      await child.stop('SIGTERM');
      await Promise.all([slack.close(), model.close()]);
      await dropSchemas(databaseUrl, schema);
    },
  };
}

/**
 * Questions in a plan's thread through the signed Slack endpoint, one after another, against a
 * fake Anthropic model answering at `rate` tokens/s after `firstTokenMs`: how long until the
 * person sees the first words of the answer, and until it is finished.
 */
export async function benchQuestions(
  rate: number,
  firstTokenMs: number,
  count: number,
  shape: QuestionShape = 'one process',
): Promise<QuestionFigures> {
  const harness =
    shape === 'one process'
      ? await startSlackService({
          signingSecret: SECRET,
          provider: 'anthropic',
          env: { PLAN_LIMIT_USER_PER_HOUR: '0', PLAN_LIMIT_WORKSPACE_PER_HOUR: '0' },
          pace: { firstTokenLatencyMs: firstTokenMs },
        })
      : await startSplitService(firstTokenMs);
  const { slack, events, model } = harness;
  try {
    const body = planSubmissionBody({
      viewId: 'V0BENCHQA',
      channelId: CHANNEL,
      teamId: slack.teamId,
      userId: 'U0BENCH',
      form: samplePlanForm({}),
    });
    await postSigned(events, body, SECRET);
    const parent = await until(() => slack.messages(CHANNEL).find((message) => message.thread_ts === undefined));
    await until(
      () => (JSON.stringify(slack.thread(CHANNEL, parent.ts)[0]?.blocks).includes('plan_approve') ? true : undefined),
      60_000,
    );
    model.setTokensPerSecond(rate);
    const firsts: number[] = [];
    const dones: number[] = [];
    let errors = 0;
    for (let index = 0; index < count; index++) {
      const started = slack.callsTo('chat.startStream').length;
      const stopped = slack.callsTo('chat.stopStream').length;
      const event = eventCallbackBody(
        {
          type: 'app_mention',
          user: `U0ASKER${index % 5}`,
          text: `<@${slack.botUserId}> question ${index}: why a queue and not webhooks?`,
          ts: `1700001${String(index).padStart(3, '0')}.000100`,
          channel: CHANNEL,
          thread_ts: parent.ts,
        },
        { teamId: slack.teamId },
      );
      const at = performance.timeOrigin + performance.now();
      const response = await postSigned(events, event, SECRET, { contentType: 'application/json' });
      if (response.status !== 200) errors += 1;
      const first = await until(() => slack.callsTo('chat.startStream')[started], 30_000);
      firsts.push(first.at - at);
      const done = await until(() => slack.callsTo('chat.stopStream')[stopped], 60_000);
      dones.push(done.at - at);
    }
    const sorted = firsts.toSorted((a, b) => a - b);
    return {
      questions: count,
      firstTextP50Ms: percentile(sorted, 0.5),
      firstTextP95Ms: percentile(sorted, 0.95),
      firstTextMaxMs: sorted.at(-1) ?? Number.NaN,
      doneP50Ms: percentile(
        dones.toSorted((a, b) => a - b),
        0.5,
      ),
      errors,
    };
  } finally {
    await harness.stop();
  }
}
