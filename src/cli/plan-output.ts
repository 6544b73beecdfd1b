import { specSourceLabel } from '../store/api-specs.ts';
import type { PlanRecord, RevisionWithSections } from '../store/plan-records.ts';

/** The `--json` shape of a saved revision, stable for scripts. */
export function revisionToJson(plan: PlanRecord, revision: RevisionWithSections): object {
  return {
    planId: plan.number,
    revision: revision.number,
    title: plan.title,
    status: revision.status,
    errorCode: revision.errorCode ?? null,
    provider: revision.provider,
    model: revision.model,
    language: revision.request.language,
    strategy: revision.strategy,
    variation: revision.request.variation,
    prompt: revision.prompt,
    inputs: revision.request,
    changes: revision.changes,
    changeSummary: revision.changeSummary ?? null,
    figures: revision.figures,
    spec:
      revision.spec === undefined
        ? null
        : {
            source: specSourceLabel(revision.spec.source),
            title: revision.spec.title,
            version: revision.spec.version,
            sha256: revision.spec.sha256,
            operations: revision.spec.operations,
          },
    sections: revision.sections.map((section) => ({
      key: section.key,
      title: section.title,
      markdown: section.markdown,
      missingItems: section.missingItems.map((item) => item.label),
      notInSpec: section.notInSpec,
    })),
    usage: {
      inputTokens: revision.usage.inputTokens + revision.usage.cacheReadTokens + revision.usage.cacheWriteTokens,
      outputTokens: revision.usage.outputTokens,
      cachedTokens: revision.usage.cacheReadTokens,
      costUsd: revision.costUsd,
    },
    durationMs: revision.durationMs ?? null,
    createdAt: revision.createdAt.toISOString(),
  };
}
