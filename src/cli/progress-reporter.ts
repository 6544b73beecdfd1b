import type { PlanEvent, PlanObserver } from '../core/plan-types.ts';
import type { SectionKey, Language } from '../prompts/section-keys.ts';
import { retryMessage } from '../core/user-messages.ts';
import { CLI_TEXTS } from './cli-texts.ts';

/**
 * Progress lines on stderr while a plan is written: which sections run and finish, elapsed
 * time, tokens so far, and retry notices. stdout stays clean for the plan itself.
 */
export function createProgressReporter(
  stderr: NodeJS.WritableStream,
  language: Language,
  now: () => number = () => performance.now(),
): PlanObserver {
  const started = now();
  const titles = new Map<SectionKey, string>();
  let total = 0;
  let finished = 0;
  let tokens = 0;
  let streamedChars = 0;
  const elapsed = () => `${((now() - started) / 1000).toFixed(1).padStart(5)} s`;
  const line = (text: string) => stderr.write(`[${elapsed()}] ${text}\n`);
  return (event: PlanEvent) => {
    switch (event.type) {
      case 'plan_started':
        total = event.sections.length;
        for (const section of event.sections) titles.set(section.key, `${section.number}. ${section.title}`);
        line(`${event.provider} · ${event.model} · ${event.strategy}`);
        break;
      case 'skeleton_done':
        line(CLI_TEXTS[language].decisionsFixed);
        break;
      case 'section_started':
        line(`… ${titles.get(event.key) ?? event.key}`);
        break;
      case 'section_done': {
        finished += 1;
        const missing = event.section.missingItems.length;
        const note = missing > 0 ? ` (${CLI_TEXTS[language].itemsMissing(missing)})` : '';
        // Usage arrives when a call ends; until then, estimate from streamed text (~4 chars a token).
        const shown = tokens > 0 ? `${tokens} tokens` : `~${Math.round(streamedChars / 4)} tokens streamed`;
        line(`✓ ${titles.get(event.section.key) ?? event.section.key} [${finished}/${total}]${note} · ${shown}`);
        break;
      }
      case 'retrying':
        line(retryMessage(event.notice.code, event.notice.delayMs, language));
        break;
      case 'usage':
        tokens =
          event.usage.inputTokens +
          event.usage.cacheReadTokens +
          event.usage.cacheWriteTokens +
          event.usage.outputTokens;
        break;
      case 'section_delta':
        streamedChars += event.text.length;
        break;
    }
  };
}
