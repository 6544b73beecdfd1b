import { findMissingItems } from './coverage.ts';
import type { PlanGeneration } from './plan-generation.ts';
import type { PlanSection } from './plan-types.ts';
import type { SectionDefinition } from '../prompts/section-keys.ts';
import { stripOwnHeading } from './section-text.ts';

/**
 * Checks a generated section against its checklist; asks the model once more for the items
 * it missed (in the same conversation, so it does not repeat itself) and reports what is
 * still missing with the section — never silently dropped.
 */
export async function finishSection(
  run: PlanGeneration,
  section: SectionDefinition,
  markdown: string,
  /** The shared prompt prefix the section was written under (context, and decisions if any). */
  prefix: string,
): Promise<PlanSection> {
  let text = markdown.trim();
  let missing = findMissingItems(text, section.items);
  if (missing.length > 0) {
    const followUp = run.prompt.render('followup', { ...run.context, section, missingItems: missing });
    // Replayed as a conversation, so the model sees what it wrote and does not repeat it.
    const task = run.prompt.render('section', { ...run.context, section });
    const result = await run.call({
      purpose: 'followup',
      prefix,
      messages: [
        { role: 'user', content: task },
        { role: 'assistant', content: text === '' ? '…' : text },
        { role: 'user', content: followUp },
      ],
      maxTokens: run.prompt.limits.followUpMaxTokens,
    });
    const addition = result.text.trim();
    if (addition !== '') text = text === '' ? addition : `${text}\n\n${addition}`;
    missing = findMissingItems(text, section.items);
  }
  return {
    key: section.key,
    number: section.number,
    title: section.title,
    markdown: text,
    missingItems: missing.map((item) => ({ id: item.id, label: item.label })),
  };
}

/** Writes one section on its own under the shared prefix, streaming it, then finishes it. */
export async function writeSection(
  run: PlanGeneration,
  section: SectionDefinition,
  prefix: string,
): Promise<PlanSection> {
  run.emit({ type: 'section_started', key: section.key });
  const result = await run.call({
    purpose: 'section',
    prefix,
    messages: [{ role: 'user', content: run.prompt.render('section', { ...run.context, section }) }],
    maxTokens: run.prompt.limits.sectionMaxTokens,
    onText: (text) => run.emit({ type: 'section_delta', key: section.key, text }),
  });
  const finished = await finishSection(run, section, stripOwnHeading(result.text, section), prefix);
  run.emit({ type: 'section_done', section: finished });
  return finished;
}
