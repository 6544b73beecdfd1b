import { AppError } from '../errors.ts';
import { computeApiFacts } from '../grounding/api-facts.ts';
import { renderApiFacts } from '../grounding/api-facts-render.ts';
import type { Planner } from '../core/planner.ts';
import { chooseRelevantOperations, renderOperationIndex, type OperationPicker } from '../grounding/operation-ranker.ts';
import { readSpec, type SpecDocument } from '../grounding/read-spec.ts';
import type { Logger } from '../logger.ts';
import { specSourceLabel } from '../store/api-specs.ts';
import type { RevisionRecord } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';

/** What a grounded revision is written with: the spec to check sections against, and the facts the model sees. */
export interface PlanGrounding {
  readonly document: SpecDocument;
  readonly facts: string;
}

/**
 * The revision's spec, read again from the stored document, and its facts. The facts are recorded
 * with the revision the first time; a retried or resumed job gives the model the same facts.
 */
/** The model picks the relevant operations; its call is paid for by the revision like every other. */
function modelPicker(deps: GroundingDeps, revision: RevisionRecord, signal: AbortSignal): OperationPicker {
  return async (index) => {
    const picked = await deps.planner.pickOperations(revision.request, renderOperationIndex(index), signal);
    await deps.store.addUsage(revision.workspaceId, revision.id, picked.usage, picked.costUsd);
    return picked.ids;
  };
}

interface GroundingDeps {
  readonly store: PlanStore;
  readonly planner: Planner;
  readonly logger: Logger;
}

export async function groundingOf(
  deps: GroundingDeps,
  revision: RevisionRecord,
  signal: AbortSignal,
): Promise<PlanGrounding | undefined> {
  const { store, logger } = deps;
  const { spec, workspaceId } = revision;
  if (spec === undefined) return undefined;
  const body = await store.readSpecBody(workspaceId, spec.sha256);
  if (body === undefined) throw new AppError('INTERNAL', `API spec ${spec.sha256} of revision ${revision.id} is gone`);
  const source = specSourceLabel(spec.source);
  const document = readSpec(body, source);
  if (revision.specFacts !== undefined) return { document, facts: revision.specFacts };
  const picker = modelPicker(deps, revision, signal);
  const relevant = await chooseRelevantOperations(document, revision.request.useCase, { picker });
  // A job stopped mid-pick is handed back: its facts are chosen again, not recorded from the fallback.
  signal.throwIfAborted();
  if (relevant.chosenBy === 'lexical')
    logger.warn({ err: relevant.pickerProblem }, 'model did not pick operations; ranked by words');
  const facts = `Source: ${source}\n${renderApiFacts(computeApiFacts(document, relevant.ids))}`;
  logger.info({ operations: relevant.ids.length, chosenBy: relevant.chosenBy }, 'plan grounded in its API spec');
  return { document, facts: await store.saveSpecFacts(workspaceId, revision.id, facts) };
}
