import path from 'node:path';
import type { PlanStrategyName } from '../src/core/plan-types.ts';
import { loadPromptLibrary } from '../src/prompts/load-prompts.ts';
import type { FakeSlackApi, SlackCall } from '../test/fakes/fake-slack-api.ts';
import { planFormState, SAMPLE_PLAN_FORM, type PlanForm } from '../test/helpers/plan-form.ts';
import { startSlackService, type SlackService } from '../test/helpers/slack-service.ts';
import { until } from '../test/helpers/until.ts';
import { interactionBody, postSigned, slashCommandBody, viewSubmissionPayload } from '../test/helpers/slack-signing.ts';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const COMMAND = '/integration-plan';

/** What a user types into the form. */
const FORM: PlanForm = { ...SAMPLE_PLAN_FORM, scaleNotes: 'Black Friday peaks at 5x' };

export interface DeliveryBenchOptions {
  readonly tokensPerSecond: number;
  readonly plansPerStrategy: number;
  /** SLACK_POST_INTERVAL_MS: spacing of posts to one channel (Slack's pacing: 1000). */
  readonly postIntervalMs: number;
  /** PLAN_JOB_POLL_SECONDS: how often idle workers look for jobs. */
  readonly jobPollSeconds: number;
}

/** One plan, in ms from sending the signed view_submission. */
export interface PlanDeliveryTiming {
  readonly strategy: PlanStrategyName;
  /** The submission's HTTP answer (Bolt's ack). */
  readonly ackMs: number;
  /** The parent message posted: the job was picked up. */
  readonly parentMs: number;
  readonly firstSectionMs: number;
  readonly lastSectionMs: number;
  /** The parent updated to "Done". */
  readonly doneMs: number;
}

/** The slash command opens the form; resolves with the modal views.open recorded for `channel`. */
async function openForm(harness: SlackService, channel: string) {
  const body = slashCommandBody({
    text: '',
    command: COMMAND,
    teamId: harness.slack.teamId,
    channelId: channel,
    triggerId: `${channel}.1.0123456789abcdef`,
  });
  const response = await postSigned(harness.events, body, SECRET);
  if (response.status !== 200) throw new Error(`slash command answered HTTP ${response.status}`);
  return until(
    () => harness.slack.views().find((stored) => String(stored.view['private_metadata']).includes(`"${channel}"`)),
    10_000,
  );
}

/** Where the plan stands in `channel`: parent, section replies replaced in place, parent marked done. */
function progress(slack: FakeSlackApi, channel: string) {
  const inChannel = (call: SlackCall) =>
    call.body['channel'] === channel && call.status === 200 && call.error === undefined;
  const parentPost = slack
    .callsTo('chat.postMessage')
    .find((call) => inChannel(call) && call.body['thread_ts'] === undefined);
  const parentTs = slack
    .messages(channel)
    .find((message) => message.thread_ts === undefined || message.thread_ts === message.ts)?.ts;
  const updates = slack.callsTo('chat.update').filter(inChannel);
  const sectionAt = new Map<string, number>();
  for (const call of updates) {
    const ts = String(call.body['ts']);
    if (ts !== parentTs && !sectionAt.has(ts)) sectionAt.set(ts, call.at);
  }
  const parentUpdate = updates.find((call) => call.body['ts'] === parentTs);
  return {
    parentAt: parentPost?.at,
    sectionTimes: [...sectionAt.values()].sort((a, b) => a - b),
    doneAt: parentUpdate?.at,
  };
}

async function deliverOnePlan(
  harness: SlackService,
  channel: string,
  sections: number,
  timeoutMs: number,
  strategy: PlanStrategyName,
): Promise<PlanDeliveryTiming> {
  const form = await openForm(harness, channel);
  const submission = interactionBody(
    viewSubmissionPayload(
      {
        callbackId: String(form.view['callback_id']),
        privateMetadata: String(form.view['private_metadata']),
        viewId: form.id,
        values: planFormState(FORM),
      },
      { teamId: harness.slack.teamId },
    ),
  );
  const started = Date.now();
  const response = await postSigned(harness.events, submission, SECRET);
  const ackMs = Date.now() - started;
  const answer = await response.text();
  if (response.status !== 200 || answer !== '')
    throw new Error(`submission answered HTTP ${response.status}: ${answer}`);
  const done = await until(() => {
    const state = progress(harness.slack, channel);
    if (state.doneAt === undefined) return undefined;
    if (state.sectionTimes.length < sections)
      throw new Error(`plan in ${channel} ended with ${state.sectionTimes.length}/${sections} sections`);
    return state;
  }, timeoutMs);
  const since = (at: number | undefined) => (at ?? Number.NaN) - started;
  return {
    strategy,
    ackMs,
    parentMs: since(done.parentAt),
    firstSectionMs: since(done.sectionTimes[0]),
    lastSectionMs: since(done.sectionTimes.at(-1)),
    doneMs: since(done.doneAt),
  };
}

/**
 * Submit → last section posted, through the real endpoint: the slash command opens the form, a
 * signed view_submission of it queues the plan, and the fake Slack's recorded chat.update calls
 * show when each section replaced its placeholder. One service per strategy, plans one after
 * another, the fake model streaming at `tokensPerSecond` per response.
 */
export async function benchSlackDelivery(options: DeliveryBenchOptions): Promise<PlanDeliveryTiming[]> {
  const prompts = await loadPromptLibrary(path.resolve(import.meta.dirname, '../prompts'));
  const sections = prompts.plan('en').sections.length;
  // A single-call plan is about 3,200 tokens; allow three times its streaming time.
  const timeoutMs = Math.max(120_000, (3 * 3_200 * 1000) / options.tokensPerSecond);
  const timings: PlanDeliveryTiming[] = [];
  for (const strategy of ['single', 'parallel'] as const) {
    const harness = await startSlackService({
      signingSecret: SECRET,
      provider: 'anthropic',
      writer: { paragraphsPerItem: 2 },
      env: {
        SLACK_COMMAND: COMMAND,
        PLAN_STRATEGY: strategy,
        SLACK_POST_INTERVAL_MS: String(options.postIntervalMs),
        PLAN_JOB_POLL_SECONDS: String(options.jobPollSeconds),
      },
    });
    harness.model.setTokensPerSecond(options.tokensPerSecond);
    try {
      for (let index = 0; index < options.plansPerStrategy; index += 1) {
        timings.push(
          await deliverOnePlan(harness, `C0E2E${strategy.toUpperCase()}${index}`, sections, timeoutMs, strategy),
        );
      }
    } finally {
      await harness.stop();
    }
  }
  return timings;
}
