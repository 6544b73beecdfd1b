import type { App } from '@slack/bolt';
import type { Language } from '../core/section-keys.ts';
import { userMessage } from '../core/user-messages.ts';
import type { PlanSummary } from '../store/plan-records.ts';
import { buildPlanModal } from './plan-modal.ts';
import type { SlackAppDeps } from './slack-app.ts';
import { localeOf } from './slack-locale.ts';
import { escapeMrkdwn } from './slack-markdown.ts';
import { slackThreadOf } from './slack-refs.ts';
import { SLACK_TEXTS } from './slack-texts.ts';
import { sumTallies, tallyText } from './vote-format.ts';

const HELP = {
  en: (command: string) =>
    [
      `*${command}* — plan an API integration with a senior backend engineer's checklist.`,
      `• \`${command}\` opens the form; \`${command} <use case>\` opens it with the use case filled in`,
      `• \`${command} list [text]\` lists this workspace's plans (optionally matching text)`,
      `• \`${command} show <id>\` links to a plan's thread`,
      `• \`${command} help\` shows this help`,
    ].join('\n'),
  de: (command: string) =>
    [
      `*${command}* — plane eine API-Integration mit der Checkliste eines Senior-Backend-Entwicklers.`,
      `• \`${command}\` öffnet das Formular; \`${command} <Use Case>\` füllt den Use Case vor`,
      `• \`${command} list [Text]\` zeigt die Pläne dieses Workspaces (optional passend zum Text)`,
      `• \`${command} show <ID>\` verlinkt den Thread eines Plans`,
      `• \`${command} help\` zeigt diese Hilfe`,
    ].join('\n'),
} as const;

const NO_MODEL = {
  en: 'Plans cannot be written yet: no model API key is configured. Please ask an administrator.',
  de: 'Pläne können noch nicht geschrieben werden: Es ist kein Modell-API-Schlüssel eingerichtet. Bitte einen Administrator fragen.',
} as const;

function listText(plans: readonly PlanSummary[], language: Language, search: string | undefined): string {
  if (plans.length === 0) {
    if (search !== undefined)
      return language === 'de' ? `Keine Pläne passen zu „${search}“.` : `No plans match "${search}".`;
    return language === 'de' ? 'Dieser Workspace hat noch keine Pläne.' : 'This workspace has no plans yet.';
  }
  return plans
    .map((plan) => {
      const date = plan.createdAt.toISOString().slice(0, 10);
      const revisions = language === 'de' ? `${plan.latestRevision} Rev.` : `${plan.latestRevision} rev.`;
      return `*${plan.number}* · ${escapeMrkdwn(plan.title)} · ${revisions} · ${plan.latestStatus} · ${date} · <@${plan.createdBy}>`;
    })
    .join('\n');
}

/** `/integration-plan [help | list [text] | show <id> | <use case>]`. */
export function registerPlanCommand(app: App, deps: SlackAppDeps): void {
  app.command(deps.slack.command, async ({ command, ack, client, respond }) => {
    await ack();
    const text = command.text.trim();
    const [first = '', ...rest] = text.split(/\s+/u);
    const language = await localeOf(client, command.user_id);
    const workspaceId = command.team_id;
    switch (first.toLowerCase()) {
      case 'help':
        await respond({ response_type: 'ephemeral', text: HELP[language](deps.slack.command) });
        return;
      case 'list': {
        const search = rest.join(' ') || undefined;
        const plans = await deps.store.listPlans(workspaceId, { search, limit: 20 });
        await respond({ response_type: 'ephemeral', text: listText(plans, language, search) });
        return;
      }
      case 'show': {
        const number = Number(rest[0]?.replace(/^#/u, ''));
        const plan =
          Number.isInteger(number) && number > 0 ? await deps.store.findPlan(workspaceId, number) : undefined;
        const missing =
          language === 'de'
            ? `Es gibt keinen Plan „${rest[0] ?? ''}“ (siehe \`list\`).`
            : `There is no plan "${rest[0] ?? ''}" (see \`list\`).`;
        if (plan === undefined) {
          await respond({ response_type: 'ephemeral', text: escapeMrkdwn(missing) });
          return;
        }
        const thread = slackThreadOf(plan);
        if (thread === undefined) {
          // No thread yet (still queued, or posted nowhere): the summary line with the real status.
          const latest = await deps.store.getRevision(workspaceId, plan.number);
          const summary = { ...plan, latestStatus: latest?.status ?? 'queued', latestCostUsd: latest?.costUsd ?? 0 };
          await respond({ response_type: 'ephemeral', text: listText([summary], language, undefined) });
          return;
        }
        const [link, latest] = await Promise.all([
          client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts }),
          deps.store.getRevision(workspaceId, plan.number),
        ]);
        const tallies = latest === undefined ? new Map() : await deps.feedback.revisionTallies(workspaceId, latest.id);
        const feedback = `${SLACK_TEXTS[language].feedback} (${SLACK_TEXTS[language].revision} ${plan.latestRevision}): ${tallyText(sumTallies(tallies.values()))}`;
        const status = latest?.status ?? 'queued';
        await respond({
          response_type: 'ephemeral',
          text: `*${plan.number}* · ${escapeMrkdwn(plan.title)} · ${status} · ${link.permalink ?? ''}\n${feedback}`,
        });
        return;
      }
      default: {
        if (deps.service === undefined) {
          await respond({ response_type: 'ephemeral', text: NO_MODEL[language] });
          return;
        }
        // Said before the form opens, so nobody fills it in for nothing; submission checks again.
        const limited = await deps.service.limitFor(workspaceId, command.user_id);
        if (limited !== undefined) {
          await respond({ response_type: 'ephemeral', text: userMessage(limited, language) });
          return;
        }
        await client.views.open({
          trigger_id: command.trigger_id,
          view: buildPlanModal(
            { channelId: command.channel_id, language },
            text === '' ? { language } : { language, useCase: text },
          ),
        });
      }
    }
  });
}
