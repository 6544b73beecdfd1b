import { settleAll, type PlanGeneration } from './plan-generation.ts';
import type { PlanSection } from './plan-types.ts';
import { finishSection, writeSection } from './section-finisher.ts';
import type { SectionKey } from '../prompts/section-keys.ts';
import { createSectionStream, type SectionStream } from './split-sections.ts';

/**
 * `single`: one streamed completion for the whole plan, split into sections by their headings
 * as it arrives. Each section is checked (and completed) as soon as its heading closes it, while
 * the stream goes on. A section the model skipped entirely is written on its own afterwards.
 */
export async function runSingle(run: PlanGeneration): Promise<{ sections: PlanSection[]; skeleton: undefined }> {
  const contextText = run.prompt.render('context', run.context);
  const byKey = new Map(run.prompt.sections.map((section) => [section.key, section]));
  const finishing = new Map<SectionKey, Promise<PlanSection>>(
    [...run.done].map(([key, section]) => [key, Promise.resolve(section)]),
  );
  const complete = (key: SectionKey, markdown: string) => {
    const section = byKey.get(key);
    if (section === undefined || finishing.has(key)) return;
    const finished = finishSection(run, section, markdown, contextText).then((done) => {
      run.emit({ type: 'section_done', section: done });
      return done;
    });
    // Reported through the final Promise.allSettled below, never left unhandled.
    finished.catch(() => undefined);
    finishing.set(key, finished);
  };
  const newStream = (): SectionStream =>
    createSectionStream(run.prompt.sections, {
      onSectionStart: (key) => {
        if (!finishing.has(key)) run.emit({ type: 'section_started', key });
      },
      onSectionDelta: (key, text) => {
        if (!finishing.has(key)) run.emit({ type: 'section_delta', key, text });
      },
      onSectionComplete: complete,
    });
  let stream = newStream();
  // A resumed run asks only for the sections it lacks, one by one: asking for the whole plan
  // again would pay for the stored sections a second time.
  if (run.done.size === 0) {
    await run.call({
      purpose: 'plan',
      prefix: contextText,
      messages: [{ role: 'user', content: run.prompt.render('single', run.context) }],
      maxTokens: run.prompt.defaults[run.model.provider].maxTokens,
      onText: (text) => stream.push(text),
      // A retried stream starts from scratch; sections already finished are kept.
      onRetry: () => {
        stream = newStream();
      },
    });
    stream.end();
  }
  for (const section of run.prompt.sections) {
    if (!finishing.has(section.key)) finishing.set(section.key, writeSection(run, section, contextText));
  }
  const sections = await settleAll(
    run.prompt.sections.map(async (section) => {
      const finished = finishing.get(section.key);
      if (finished === undefined) throw new Error(`section ${section.key} was never started`);
      return finished;
    }),
  );
  return { sections, skeleton: undefined };
}
