import type { App, RespondFn } from '@slack/bolt';
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
import { sumTallies, tallyText } from './vote-format.ts';

interface CommandContext {
  readonly deps: SlackAppDeps;
  readonly client: WebClient;
  readonly respond: RespondFn;
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
      return `*${plan.number}* · ${title} · ${t.revisions(plan.latestRevision)} · ${plan.latestStatus} · ${date} · <@${plan.createdBy}>`;
    })
    .join('\n');
}

const say = (context: CommandContext, text: string) => context.respond({ response_type: 'ephemeral', text });

/** `show <number>`: a link to the plan's thread with its status and feedback, or its summary line. */
async function showPlan(context: CommandContext, number: number | undefined, argument: string): Promise<void> {
  const { deps, workspaceId, language } = context;
  const plan = number === undefined ? undefined : await deps.store.findPlan(workspaceId, number);
  if (plan === undefined) {
    await say(context, escapeMrkdwn(SLACK_TEXTS[language].noPlan(argument)));
    return;
  }
  const latest = await deps.store.getRevision(workspaceId, plan.number);
  const thread = slackThreadOf(plan);
  if (thread === undefined) {
    // No thread yet (still queued, or posted nowhere): the summary line with the real status.
    const summary = { ...plan, latestStatus: latest?.status ?? 'queued', latestCostUsd: latest?.costUsd ?? 0 };
    await say(context, listText([summary], language, undefined));
    return;
  }
  const link = await context.client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts });
  const tallies = latest === undefined ? new Map() : await deps.feedback.revisionTallies(workspaceId, latest.id);
  const t = SLACK_TEXTS[language];
  const feedback = `${t.feedback} (${t.revision} ${plan.latestRevision}): ${tallyText(sumTallies(tallies.values()))}`;
  const status = latest?.status ?? 'queued';
  await say(
    context,
    `*${plan.number}* · ${escapeMrkdwn(plan.title)} · ${status} · ${link.permalink ?? ''}\n${feedback}`,
  );
}

/** `/integration-plan [help | list [text] | show <id> | <use case>]`: the shared grammar. */
export function registerPlanCommand(app: App, deps: SlackAppDeps): void {
  app.command(deps.slack.command, async ({ command, ack, client, respond }) => {
    await ack();
    const language = await localeOf(client, command.user_id);
    const context: CommandContext = { deps, client, respond, language, workspaceId: command.team_id };
    const parsed = parsePlanCommand(command.text, 'useCase');
    switch (parsed.kind) {
      case 'help':
        await say(context, SLACK_TEXTS[language].help(deps.slack.command));
        return;
      case 'list': {
        const plans = await deps.store.listPlans(context.workspaceId, { search: parsed.search, limit: 20 });
        await say(context, listText(plans, language, parsed.search));
        return;
      }
      case 'show':
        await showPlan(context, parsed.number, parsed.argument);
        return;
      case 'form': {
        const refusal = await formRefusal(deps.service, context.workspaceId, command.user_id, language);
        if (refusal !== undefined) {
          await say(context, refusal);
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
