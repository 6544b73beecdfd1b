import type { Language } from '../prompts/section-keys.ts';
import type { PlanSummary } from '../store/plan-records.ts';
import { adaptiveCard, heading, text, type AdaptiveCard, type CardElement } from './adaptive-card.ts';
import { VERBS } from './plan-form-card.ts';
import { markdownElements } from './teams-markdown.ts';
import { neutralizeTeamsText } from './teams-neutralize.ts';
import { TEAMS_TEXTS } from './teams-texts.ts';
import { planRowState } from '../render/review-texts.ts';

/** A one-message card (confirmations, errors in the user's language). */
export function noticeCard(message: string, options: { attention?: boolean } = {}): AdaptiveCard {
  return adaptiveCard([text(message, options.attention === true ? { color: 'attention' } : {})]);
}

/** The commands under `intro`, and a button that opens the form. */
function commandsCard(language: Language, intro: readonly CardElement[]): AdaptiveCard {
  const t = TEAMS_TEXTS[language];
  return adaptiveCard(
    [...intro, ...markdownElements(t.help)],
    [{ type: 'Action.Execute', title: t.openForm, verb: VERBS.openForm, data: { formLanguage: language } }],
  );
}

/** The answer to `help`. */
export function helpCard(language: Language): AdaptiveCard {
  return commandsCard(language, [heading(TEAMS_TEXTS[language].helpTitle)]);
}

/** Sent once when the app is installed: what the bot does and how to start. */
export function greetingCard(language: Language): AdaptiveCard {
  const t = TEAMS_TEXTS[language];
  return commandsCard(language, [heading(t.greetingTitle), text(t.greeting)]);
}

/** The form's place once submitted: the work has started, the plan follows. */
export function workingCard(language: Language, title: string, planNumber?: number): AdaptiveCard {
  const t = TEAMS_TEXTS[language];
  return noticeCard(planNumber === undefined ? neutralizeTeamsText(t.working(title)) : t.workingRerun(planNumber));
}

/** `list`: the organisation's plans, newest first, with revisions, status, date, creator, Show and Re-run. */
export function listCard(
  plans: readonly PlanSummary[],
  options: { language: Language; search: string | undefined; userId: string; names?: ReadonlyMap<string, string> },
): AdaptiveCard {
  const t = TEAMS_TEXTS[options.language];
  if (plans.length === 0) return noticeCard(neutralizeTeamsText(t.listEmpty(options.search)));
  const creator = (id: string) => (id === options.userId ? t.you : (options.names?.get(id) ?? t.someone));
  const rows: CardElement[] = plans.map((plan) => {
    const date = plan.createdAt.toISOString().slice(0, 10);
    const row = t.listRow(plan.latestRevision, planRowState(plan, options.language), date, creator(plan.createdBy));
    return {
      type: 'Container',
      separator: true,
      items: [
        text(neutralizeTeamsText(`**${plan.number}** · ${plan.title}`)),
        text(neutralizeTeamsText(row), { isSubtle: true, size: 'small', spacing: 'none' }),
        {
          type: 'ActionSet',
          actions: [
            { type: 'Action.Execute', title: t.open, verb: VERBS.show, data: { planNumber: plan.number } },
            { type: 'Action.Execute', title: t.rerun, verb: VERBS.rerun, data: { planNumber: plan.number } },
          ],
        },
      ],
    };
  });
  return adaptiveCard([heading(neutralizeTeamsText(t.listTitle(plans.length, options.search))), ...rows]);
}
