import { settleAll, type PlanGeneration } from './plan-generation.ts';
import type { PlanSection } from './plan-types.ts';
import { writeSection } from './section-finisher.ts';

/** The decision skeleton every section is conditioned on; reused when a run resumes. */
async function decideSkeleton(run: PlanGeneration, contextText: string): Promise<string> {
  if (run.resumedSkeleton !== undefined) return run.resumedSkeleton;
  const result = await run.call({
    purpose: 'skeleton',
    prefix: contextText,
    messages: [{ role: 'user', content: run.prompt.render('skeleton', run.context) }],
    maxTokens: run.prompt.limits.skeletonMaxTokens,
  });
  const skeleton = result.text.trim();
  run.emit({ type: 'skeleton_done', skeleton });
  return skeleton;
}

/**
 * `parallel`: a short skeleton of decisions first (API type, auth, rate limits, caching, error
 * handling), then all sections at once, each conditioned on inputs + skeleton through one
 * shared, cacheable prefix. Wall time becomes the longest section instead of the sum.
 */
export async function runParallel(run: PlanGeneration): Promise<{ sections: PlanSection[]; skeleton: string }> {
  const contextText = run.prompt.render('context', run.context);
  const skeleton = await decideSkeleton(run, contextText);
  const prefix = `${contextText}\n\n${run.prompt.render('decisions', { ...run.context, skeleton })}`;
  const sections = await settleAll(
    run.prompt.sections.map(async (section) => run.done.get(section.key) ?? writeSection(run, section, prefix)),
  );
  return { sections, skeleton };
}
