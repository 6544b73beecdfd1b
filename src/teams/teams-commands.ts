import { TeamsInfo, TurnContext } from 'botbuilder';
import type { Language } from '../prompts/section-keys.ts';
import type { PlanSummary } from '../store/plan-records.ts';
import { cardMessage, type AdaptiveCard } from './adaptive-card.ts';
import { planCard, planCardSummary, storedState } from './plan-card.ts';
import { buildPlanFormCard } from './plan-form-card.ts';
import { helpCard, listCard, noticeCard } from './teams-cards.ts';
import { formRefusal } from '../plans/form-submission.ts';
import { parsePlanCommand, type PlanCommand } from '../plans/plan-commands.ts';
import { comparePlanRevisions, diffRefusal } from '../plans/revision-diff.ts';
import { comparisonMarkdown, comparisonTitle } from '../render/comparison-markdown.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import { sectionCards } from './teams-markdown.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { languageOf, tenantOf, userOf } from './teams-activity.ts';
import type { TeamsBotDeps } from './teams-bot-deps.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';
import { askInConversation } from './thread-questions.ts';

/** The command text: the bot's @mention removed (channels), a leading slash tolerated. */
function commandText(context: TurnContext): string {
  // Typed as string, but a message with only a card value has no text at all.
  if (typeof (context.activity.text as unknown) !== 'string') return '';
  const text = TurnContext.removeRecipientMention(context.activity);
  return text
    .replace(/<at>[^<]*<\/at>/giu, ' ')
    .trim()
    .replace(/^\//u, '');
}

/** The form for a new plan, or why it cannot be filled in right now (said before anyone types). */
export async function newPlanForm(
  deps: TeamsBotDeps,
  context: TurnContext,
  language: Language,
  useCase: string,
  submit: 'execute' | 'submit' = 'execute',
): Promise<AdaptiveCard> {
  const t = TEAMS_TEXTS[language];
  const workspaceId = tenantOf(context.activity);
  if (workspaceId === undefined) return noticeCard(t.noTenant, { attention: true });
  const refusal = await formRefusal(deps.service, workspaceId, userOf(context.activity), language);
  if (refusal !== undefined) return noticeCard(refusal, { attention: true });
  return buildPlanFormCard({
    language,
    prompts: deps.prompts,
    values: { language, ...(useCase === '' ? {} : { useCase }) },
    submit,
  });
}

/** `show <number>`: the plan's card as it stands, posted again (the organisation's plans only). */
export async function planSummaryCard(
  deps: TeamsBotDeps,
  workspaceId: string,
  number: number | undefined,
  language: Language,
  argument = String(number),
) {
  const plan = number === undefined ? undefined : await deps.store.findPlan(workspaceId, number);
  const latest = plan === undefined ? undefined : await deps.store.getRevision(workspaceId, plan.number);
  if (plan === undefined || latest === undefined) {
    const missing = TEAMS_TEXTS[language].noPlan(argument);
    return { card: noticeCard(missing), summary: missing };
  }
  const failed = TEAMS_TEXTS[latest.request.language].failed;
  const stored = storedState(latest, failed);
  // A finished revision shows its review: the latest decision, if any.
  const review = stored.kind === 'done' ? (await deps.store.decisionsOf(workspaceId, latest.id)).at(-1) : undefined;
  const state = stored.kind === 'done' ? { ...stored, review } : stored;
  return { card: planCard(plan, latest, state), summary: planCardSummary(plan, latest) };
}

/** The other creators' names from the conversation's roster; who left, or a failed lookup, stays unnamed. */
async function creatorNames(
  context: TurnContext,
  plans: readonly PlanSummary[],
  userId: string,
): Promise<Map<string, string>> {
  const ids = [...new Set(plans.map((plan) => plan.createdBy))].filter((id) => id !== userId);
  const found = await Promise.all(
    ids.map(async (id) => {
      try {
        const member = await TeamsInfo.getMember(context, id);
        return member.name ? ([id, member.name] as const) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return new Map(found.filter((entry) => entry !== undefined));
}

/**
 * `plan [use case]`, `list [text]`, `show <number>`, `diff …`, `help` in a chat or an @mention in a
 * channel; other text asks about the conversation's plan.
 */
export async function runCommand(deps: TeamsBotDeps, context: TurnContext): Promise<void> {
  const language = languageOf(context.activity);
  const t = TEAMS_TEXTS[language];
  const command = parsePlanCommand(commandText(context), 'question');
  const workspaceId = tenantOf(context.activity);
  const reply = async (card: AdaptiveCard, summary: string) => {
    await context.sendActivity(cardMessage(card, summary));
  };
  if (command.kind === 'form') return reply(await newPlanForm(deps, context, language, command.useCase), t.openForm);
  if (command.kind === 'help') return reply(helpCard(language), t.helpTitle);
  if (command.kind === 'question') return askInConversation(deps, context, command.text);
  if (workspaceId === undefined) return reply(noticeCard(t.noTenant), t.noTenant);
  if (command.kind === 'list') {
    const plans = await deps.store.listPlans(workspaceId, { search: command.search, limit: 20 });
    const userId = userOf(context.activity);
    const names = await creatorNames(context, plans, userId);
    const card = listCard(plans, { language, search: command.search, userId, names });
    return reply(card, t.listTitle(plans.length, command.search));
  }
  if (command.kind === 'diff') {
    const cards = await diffCards(deps, workspaceId, command, language);
    for (const card of cards) await reply(card, t.diffTitle);
    return;
  }
  const { card, summary } = await planSummaryCard(deps, workspaceId, command.number, language, command.argument);
  return reply(card, summary);
}

/** `diff 42 [1 3]`: the comparison as cards (split under Teams' size limit), or why there is none. */
async function diffCards(
  deps: TeamsBotDeps,
  workspaceId: string,
  command: Extract<PlanCommand, { kind: 'diff' }>,
  language: Language,
): Promise<AdaptiveCard[]> {
  if (command.number === undefined)
    return [noticeCard(neutralizeTeamsText(SHARED_TEXTS[language].diff.usage(command.argument)))];
  const outcome = await comparePlanRevisions(deps.store, workspaceId, command.number, command);
  const refusal = diffRefusal(outcome, String(command.number), language);
  if (refusal !== undefined || outcome.kind !== 'compared') return [noticeCard(neutralizeTeamsText(refusal ?? ''))];
  const { comparison } = outcome;
  return sectionCards({
    title: comparisonTitle(comparison),
    markdown: comparisonMarkdown(comparison),
    language: comparison.language,
  });
}
