import type { PlanRequest } from '../core/plan-request.ts';
import { clip } from '../core/text.ts';
import { specSourceLabel } from '../store/api-specs.ts';
import type { DecisionRecord } from '../store/decisions.ts';
import type { RevisionRecord } from '../store/plan-records.ts';
import { SHARED_TEXTS } from './shared-texts.ts';

/** A parent message shows at most this much of each input (they are summaries; the plan has it all). */
const MAX_FACT_CHARS = 280;

/** What the parent message says about its revision. */
export type ParentState =
  | { readonly kind: 'writing'; readonly done: number; readonly total: number }
  /** `review`: the revision's latest decision (none: in review). */
  | {
      readonly kind: 'done';
      readonly review?: DecisionRecord | undefined;
      /** Who decided, by name, where the surface knows it (the person who just clicked). */
      readonly reviewer?: { readonly id: string; readonly name: string } | undefined;
    }
  | { readonly kind: 'failed'; readonly message: string };

/** A surface's status sentences (with its own emoji). */
export interface StatusTexts {
  writing(done: number, total: number): string;
  readonly failed: string;
  done(seconds: string, model: string, tokens: string, cost: string): string;
}

/** The plan's inputs as every parent message lists them, in the revision's language, each clipped to one line. */
export function inputFacts(request: PlanRequest): { readonly label: string; readonly value: string }[] {
  const t = SHARED_TEXTS[request.language];
  const fact = (label: string, value: string) => ({ label, value: clip(value, MAX_FACT_CHARS) });
  return [
    fact(t.inputs.existingSystem, request.existingSystem),
    fact(t.inputs.targetApi, request.targetApi),
    fact(t.inputs.useCase, request.useCase),
    fact(t.inputs.scale, t.scale(String(request.callsPerSecond), request.dataVolume)),
    fact(t.inputs.budget, request.budget),
  ];
}

/** The inputs and, for a grounded revision, the spec it was written against ("Stripe API 2024-04-10 · stripe.json · 512 operations"). */
export function revisionFacts(
  revision: Pick<RevisionRecord, 'request' | 'spec'>,
): { readonly label: string; readonly value: string }[] {
  const facts = inputFacts(revision.request);
  const { spec } = revision;
  if (spec === undefined) return facts;
  const t = SHARED_TEXTS[revision.request.language];
  const value = t.specFact(`${spec.title} ${spec.version}`, specSourceLabel(spec.source), spec.operations);
  return [...facts, { label: t.inputs.apiSpec, value: clip(value, MAX_FACT_CHARS) }];
}

/** The parent's status line: progress, the figures of a finished revision, or why it failed. */
export function parentStatus(revision: RevisionRecord, state: ParentState, texts: StatusTexts): string {
  switch (state.kind) {
    case 'writing':
      return texts.writing(state.done, state.total);
    case 'failed':
      return `${texts.failed} ${state.message}`;
    case 'done': {
      const { usage } = revision;
      const tokens = (usage.inputTokens + usage.cacheReadTokens + usage.outputTokens).toLocaleString('en-US');
      const seconds = ((revision.durationMs ?? 0) / 1000).toFixed(1);
      return texts.done(seconds, revision.model, tokens, revision.costUsd.toFixed(4));
    }
  }
}
