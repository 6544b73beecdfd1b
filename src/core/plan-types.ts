import type { ModelSpend, ModelUsage, Provider, RetryNotice } from '../llm/model-client.ts';
import type { PromptFigure } from '../prompts/prompt-context.ts';
import type { Language, SectionKey, VariationId } from '../prompts/section-keys.ts';

export type PlanStrategyName = 'single' | 'parallel';

/** A checklist item the section still lacks after the follow-up request. */
export interface MissingItem {
  readonly id: string;
  readonly label: string;
}

export interface PlanSection {
  readonly key: SectionKey;
  readonly number: number;
  readonly title: string;
  readonly markdown: string;
  readonly missingItems: readonly MissingItem[];
  /** What the section names that the API spec does not have ("POST /v1/bulk_refunds"); empty without a spec. */
  readonly notInSpec: readonly string[];
}

export interface PlanResult {
  readonly provider: Provider;
  readonly model: string;
  readonly language: Language;
  readonly strategy: PlanStrategyName;
  readonly variation: VariationId;
  readonly prompt: { readonly id: string; readonly version: string; readonly hash: string };
  readonly figures: readonly PromptFigure[];
  /** The decision skeleton (parallel strategy), kept so a re-run can refer to it. */
  readonly skeleton: string | undefined;
  readonly sections: readonly PlanSection[];
  readonly usage: ModelUsage;
  readonly costUsd: number;
  readonly durationMs: number;
  readonly timeToFirstSectionMs: number | undefined;
}

/** What a plan run reports as it goes; Slack, Teams and the terminal render these. */
export type PlanEvent =
  | {
      readonly type: 'plan_started';
      readonly strategy: PlanStrategyName;
      readonly provider: Provider;
      readonly model: string;
      readonly sections: readonly { readonly key: SectionKey; readonly number: number; readonly title: string }[];
      readonly figures: readonly PromptFigure[];
    }
  | { readonly type: 'skeleton_done'; readonly skeleton: string }
  | { readonly type: 'section_started'; readonly key: SectionKey }
  | { readonly type: 'section_delta'; readonly key: SectionKey; readonly text: string }
  | { readonly type: 'section_done'; readonly section: PlanSection }
  | { readonly type: 'retrying'; readonly notice: RetryNotice }
  /** After each model call (or failed attempt that used tokens): the run's totals so far, and what it `added`. */
  | {
      readonly type: 'usage';
      readonly usage: ModelUsage;
      readonly costUsd: number;
      readonly added: ModelSpend;
    };

export type PlanObserver = (event: PlanEvent) => void;
