import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Language } from '../prompts/section-keys.ts';
import { formRefusal } from '../plans/form-submission.ts';
import { parsePlanCommand } from '../plans/plan-commands.ts';
import type { PlanSummary } from '../store/plan-records.ts';
import { buildPlanModal } from './plan-modal.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { localeOf } from './slack-locale.ts';
import { escapeMrkdwn } from './slack-markdown.ts';
import { slackThreadOf } from './slack-refs.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { planRowState } from '../render/review-texts.ts';
import { answerDiff } from './plan-diff.ts';
import { sumTallies, tallyText } from './vote-format.ts';

interface CommandContext {
  readonly deps: SlackAppDeps;
  readonly client: WebClient;
  readonly language: Language;
  readonly workspaceId: string;
}

function listText(plans: readonly PlanSummary[], language: Language, search: string | undefined): string {
  const t = SLACK_TEXTS[language];
  if (plans.length === 0) return search === undefined ? t.listNone : t.listNoMatch(search);
  return plans
    .map((plan) => {
      const date = plan.createdAt.toISOString().slice(0, 10);
      const title = escapeMrkdwn(plan.title);
      return `*${plan.number}* · ${title} · ${t.revisions(plan.latestRevision)} · ${planRowState(plan, language)} · ${date} · <@${plan.createdBy}>`;
    })
    .join('\n');
}

/** `show <number>`: a link to the plan's thread with its status and feedback, or its summary line. */
async function showText(context: CommandContext, number: number | undefined, argument: string): Promise<string> {
  const { deps, workspaceId, language } = context;
  const t = SLACK_TEXTS[language];
  const plan = number === undefined ? undefined : await deps.store.findPlan(workspaceId, number);
  if (plan === undefined) return escapeMrkdwn(t.noPlan(argument));
  const latest = await deps.store.getRevision(workspaceId, plan.number);
  const status = latest?.status ?? 'queued';
  const thread = slackThreadOf(plan);
  if (thread === undefined) {
    // No thread yet (still queued, or posted nowhere): the summary line with the real status.
    const summary = {
      ...plan,
      latestStatus: status,
      latestCostUsd: latest?.costUsd ?? 0,
      latestReview: 'in_review' as const,
    };
    return listText([summary], language, undefined);
  }
  const link = await context.client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts });
  const tallies = latest === undefined ? new Map() : await deps.feedback.revisionTallies(workspaceId, latest.id);
  const feedback = `${t.feedback} (${t.revision} ${plan.latestRevision}): ${tallyText(sumTallies(tallies.values()))}`;
  return `*${plan.number}* · ${escapeMrkdwn(plan.title)} · ${status} · ${link.permalink ?? ''}\n${feedback}`;
}

/** `/integration-plan [help | list [text] | show <id> | <use case>]`: the shared grammar. */
export function registerPlanCommand(app: App, deps: SlackAppDeps): void {
  app.command(deps.slack.command, async ({ command, ack, client, respond }) => {
    await ack();
    const language = await localeOf(client, command.user_id);
    const workspaceId = command.team_id;
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    const parsed = parsePlanCommand(command.text, 'useCase');
    switch (parsed.kind) {
      case 'help':
        await say(SLACK_TEXTS[language].help(deps.slack.command));
        return;
      case 'list': {
        const plans = await deps.store.listPlans(workspaceId, { search: parsed.search, limit: 20 });
        await say(listText(plans, language, parsed.search));
        return;
      }
      case 'show':
        await say(await showText({ deps, client, language, workspaceId }, parsed.number, parsed.argument));
        return;
      case 'diff': {
        const answer = await answerDiff({ deps, client, language, workspaceId }, parsed);
        if (answer.messages === undefined) await say(answer.text);
        for (const message of answer.messages ?? []) await respond({ response_type: 'ephemeral', ...message });
        return;
      }
      case 'form': {
        const refusal = await formRefusal(deps.service, workspaceId, command.user_id, language);
        if (refusal !== undefined) {
          await say(refusal);
          return;
        }
        const prefill = parsed.useCase === '' ? { language } : { language, useCase: parsed.useCase };
        await client.views.open({
          trigger_id: command.trigger_id,
          view: buildPlanModal({ channelId: command.channel_id, language }, prefill),
        });
      }
    }
  });
}
