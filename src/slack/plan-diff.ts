import type { WebClient } from '@slack/web-api';
import type { PlanCommand } from '../plans/plan-commands.ts';
import { comparePlanRevisions, diffRefusal } from '../plans/revision-diff.ts';
import type { Language } from '../prompts/section-keys.ts';
import { comparisonMarkdown, comparisonTitle } from '../render/comparison-markdown.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import type { SlackAppDeps } from './slack-app-deps.ts';
import { sectionMessages, type SlackMessagePayload } from './slack-markdown.ts';
import { slackThreadOf } from './slack-refs.ts';

/**
 * `/integration-plan diff 42 1 3`: the comparison is posted in the plan's thread, where the plan
 * is reviewed; the person who asked gets a short pointer (or, for a plan without a Slack thread,
 * the comparison itself). A mistake gets a sentence saying what to type.
 */
export async function answerDiff(
  context: { deps: SlackAppDeps; client: WebClient; language: Language; workspaceId: string },
  command: Extract<PlanCommand, { kind: 'diff' }>,
): Promise<{ text: string; messages?: readonly SlackMessagePayload[] }> {
  const { deps, client, language, workspaceId } = context;
  if (command.number === undefined) return { text: SHARED_TEXTS[language].diff.usage(command.argument) };
  const outcome = await comparePlanRevisions(deps.store, workspaceId, command.number, command);
  const refusal = diffRefusal(outcome, String(command.number), language);
  if (refusal !== undefined || outcome.kind !== 'compared') return { text: refusal ?? '' };
  const { comparison, plan } = outcome;
  const messages = sectionMessages({
    title: comparisonTitle(comparison),
    markdown: comparisonMarkdown(comparison),
    language: comparison.language,
  });
  const thread = slackThreadOf(plan);
  if (thread === undefined) return { text: comparisonTitle(comparison), messages };
  for (const message of messages) {
    await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, ...message });
  }
  return { text: SHARED_TEXTS[language].diff.posted(plan.number) };
}
