import { acknowledgedMissing, findNotInSpec, notInSpecLabel } from '../grounding/spec-check.ts';
import { findMissingItems } from './coverage.ts';
import type { PlanGeneration } from './plan-generation.ts';
import type { PlanSection } from './plan-types.ts';
import type { SectionDefinition } from '../prompts/section-keys.ts';
import { stripOwnHeading } from './section-text.ts';

/** The section's task replayed as a conversation, so the model sees what it wrote. */
function conversation(run: PlanGeneration, section: SectionDefinition, text: string, request: string) {
  return [
    { role: 'user' as const, content: run.prompt.render('section', { ...run.context, section }) },
    { role: 'assistant' as const, content: text === '' ? '…' : text },
    { role: 'user' as const, content: request },
  ];
}

/** Asks once for the checklist items the section missed; the answer is appended (it does not repeat itself). */
async function completeCoverage(run: PlanGeneration, section: SectionDefinition, text: string, prefix: string) {
  const missing = findMissingItems(text, section.items);
  if (missing.length === 0) return text;
  const followUp = run.prompt.render('followup', { ...run.context, section, missingItems: missing });
  const result = await run.call({
    purpose: 'followup',
    prefix,
    messages: conversation(run, section, text, followUp),
    maxTokens: run.prompt.limits.followUpMaxTokens,
  });
  const addition = result.text.trim();
  return addition === '' ? text : text === '' ? addition : `${text}\n\n${addition}`;
}

const notInSpecOf = (run: PlanGeneration, text: string) =>
  run.spec === undefined ? [] : findNotInSpec(text, run.spec).map(notInSpecLabel);

/** What the section names that the spec lacks and does not itself say is missing: these are repaired. */
const unacknowledged = (run: PlanGeneration, text: string) =>
  run.spec === undefined ? [] : findNotInSpec(text, run.spec).filter((item) => !acknowledgedMissing(text, item));

/**
 * Sends a section that names endpoints, scopes or headers the spec does not have back once for
 * repair (not for what it already says the spec lacks): the model rewrites the whole section.
 * The rewrite is kept unless it came back empty or worse: more unknown names, or checklist
 * items the first version covered.
 */
async function repairAgainstSpec(run: PlanGeneration, section: SectionDefinition, text: string, prefix: string) {
  const unknown = unacknowledged(run, text);
  if (unknown.length === 0) return text;
  const notInSpec = unknown.map(notInSpecLabel);
  const repair = run.prompt.render('repair', { ...run.context, section, notInSpec });
  const result = await run.call({
    purpose: 'repair',
    prefix,
    messages: conversation(run, section, text, repair),
    maxTokens: run.prompt.limits.sectionMaxTokens,
  });
  const rewritten = stripOwnHeading(result.text, section).trim();
  if (rewritten === '') return text;
  const worse =
    unacknowledged(run, rewritten).length > unknown.length ||
    findMissingItems(rewritten, section.items).length > findMissingItems(text, section.items).length;
  return worse ? text : rewritten;
}

/**
 * Checks a generated section against its checklist and, when the plan has an API spec, against
 * the spec; asks the model once for the missing items and once for a repair, and reports what
 * is still missing or not in the spec with the section — never silently dropped.
 */
export async function finishSection(
  run: PlanGeneration,
  section: SectionDefinition,
  markdown: string,
  /** The shared prompt prefix the section was written under (context, and decisions if any). */
  prefix: string,
): Promise<PlanSection> {
  let text = await completeCoverage(run, section, markdown.trim(), prefix);
  text = await repairAgainstSpec(run, section, text, prefix);
  return {
    key: section.key,
    number: section.number,
    title: section.title,
    markdown: text,
    missingItems: findMissingItems(text, section.items).map((item) => ({ id: item.id, label: item.label })),
    notInSpec: notInSpecOf(run, text),
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
