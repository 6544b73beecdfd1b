import { AppError } from '../errors.ts';
import { computeApiFacts } from '../grounding/api-facts.ts';
import { renderApiFacts } from '../grounding/api-facts-render.ts';
import type { Planner } from '../core/planner.ts';
import { chooseRelevantOperations, renderOperationIndex, type OperationPicker } from '../grounding/operation-ranker.ts';
import { readSpec, type SpecDocument } from '../grounding/read-spec.ts';
import type { Logger } from '../logger.ts';
import type { SpecCatalog } from '../grounding/spec-catalog.ts';
import { SpecError } from '../grounding/spec-error.ts';
import { revisionSpecOf, specSourceLabel } from '../store/api-specs.ts';
import type { RevisionRecord } from '../store/plan-records.ts';
import type { PlanStore } from '../store/plan-store.ts';

/** What a grounded revision is written with: the spec to check sections against, and the facts the model sees. */
export interface PlanGrounding {
  readonly document: SpecDocument;
  readonly facts: string;
}

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
  /** SPEC_CATALOG_DIR: where a revision without a spec finds one for its target API. */
  readonly catalog?: SpecCatalog | undefined;
}

/**
 * A revision given no spec, grounded in the catalog's spec for its target API when the operator
 * set up a catalog and one fits; the choice is recorded with the revision (so its parent, export
 * and JSON name it, and a re-run keeps it). A catalog spec that cannot be read is skipped with a
 * warning: the plan is then written as without a catalog.
 */
export async function withCatalogSpec<Revision extends RevisionRecord>(
  deps: GroundingDeps,
  revision: Revision,
): Promise<Revision> {
  const { catalog, logger } = deps;
  if (catalog === undefined || revision.spec !== undefined) return revision;
  let id: string | undefined;
  try {
    id = await catalog.find(revision.request.targetApi);
    if (id === undefined) return revision;
    const bytes = await catalog.read(id);
    const document = readSpec(bytes, `catalog ${id}`);
    const found = revisionSpecOf({ kind: 'catalog', id }, document);
    const spec = await deps.store.setRevisionSpec(revision.workspaceId, revision.id, found, bytes);
    logger.info({ catalogId: id, operations: found.operations }, 'plan grounded in a catalog spec');
    return { ...revision, spec };
  } catch (error) {
    // The catalog is an extra: an unreadable directory or spec never stops a plan.
    const problem = error instanceof SpecError ? error.problem.kind : undefined;
    logger.warn({ err: problem === undefined ? error : undefined, catalogId: id, problem }, 'catalog spec not used');
    return revision;
  }
}

/**
 * The revision's spec, read again from the stored document, and its facts. The facts are recorded
 * with the revision the first time; a retried or resumed job gives the model the same facts.
 */
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
