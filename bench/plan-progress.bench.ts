import { performance } from 'node:perf_hooks';
import { planSubmissionBody, samplePlanForm } from '../test/helpers/plan-form.ts';
import { startSlackService } from '../test/helpers/slack-service.ts';
import { postSigned } from '../test/helpers/slack-signing.ts';
import { until } from '../test/helpers/until.ts';
import { percentile } from './slack-ack.bench.ts';

const SECRET = 'bench-progress-signing-secret-0123456789';

export interface ProgressFigures {
  readonly plans: number;
  /** Form submitted → Slack received the plan display (chat.startStream), or the first placeholder where refused. */
  readonly firstProgressP50Ms: number;
  readonly firstProgressP95Ms: number;
  readonly firstProgressMaxMs: number;
  /** Plans whose first progress was the plan display (the rest fell back to placeholders). */
  readonly displays: number;
}

/**
 * `count` plans submitted one after another through the signed Slack endpoint, each in its own
 * channel, with Slack's pacing on (one post a second per channel) and the fake model at `rate`
 * tokens/s: how long until the person sees the plan's progress in Slack. Each is submitted once
 * the one before is done, so a plan never waits for a free slot (PLAN_WORKSPACE_CONCURRENCY): what
 * is measured is the way from the form to Slack (door, job, parent, display), not queueing.
 */
export async function benchPlanProgress(rate: number, count: number): Promise<ProgressFigures> {
  const harness = await startSlackService({
    signingSecret: SECRET,
    provider: 'anthropic',
    env: { PLAN_LIMIT_USER_PER_HOUR: '0', PLAN_LIMIT_WORKSPACE_PER_HOUR: '0', SLACK_POST_INTERVAL_MS: '1000' },
    pace: { tokensPerSecond: rate, firstTokenLatencyMs: 300 },
  });
  const { slack, events } = harness;
  try {
    const waits: number[] = [];
    let displays = 0;
    for (let index = 0; index < count; index++) {
      const channel = `C0PROGRESS${String(index).padStart(3, '0')}`;
      const body = planSubmissionBody({
        viewId: `V0PROGRESS${index}`,
        channelId: channel,
        teamId: slack.teamId,
        userId: `U0PROGRESS${index % 5}`,
        form: samplePlanForm({}),
      });
      const at = performance.timeOrigin + performance.now();
      await postSigned(events, body, SECRET);
      const first = await until(() => {
        const display = slack
          .callsTo('chat.startStream')
          .find((call) => call.body['channel'] === channel && !call.error);
        const placeholder = slack
          .callsTo('chat.postMessage')
          .find((call) => call.body['channel'] === channel && call.body['thread_ts'] !== undefined);
        return display ?? placeholder;
      }, 30_000);
      if (first.method === 'chat.startStream') displays += 1;
      waits.push(first.at - at);
      await until(
        () =>
          slack.messages(channel).some((message) => JSON.stringify(message.blocks ?? []).includes('Done in'))
            ? true
            : undefined,
        300_000,
      );
    }
    const sorted = waits.toSorted((a, b) => a - b);
    return {
      plans: count,
      firstProgressP50Ms: percentile(sorted, 0.5),
      firstProgressP95Ms: percentile(sorted, 0.95),
      firstProgressMaxMs: sorted.at(-1) ?? Number.NaN,
      displays,
    };
  } finally {
    await harness.stop();
  }
}
