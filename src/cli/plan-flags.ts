import { LANGUAGES, VARIATION_IDS, type Language } from '../prompts/section-keys.ts';
import type { PlanStrategyName } from '../core/plan-types.ts';
import { parseFlags, UsageError } from './cli-io.ts';

/** Flag name for each plan field, in the order they are asked for. */
export const FIELD_FLAGS = {
  existingSystem: 'system',
  targetApi: 'target',
  useCase: 'use-case',
  callsPerSecond: 'calls-per-second',
  dataVolume: 'data-volume',
  budget: 'budget',
} as const;

export type RequiredField = keyof typeof FIELD_FLAGS;

/** Flag name for each field a re-run may change: the plan fields and the scale notes. */
export const FLAG_OF = { ...FIELD_FLAGS, scaleNotes: 'scale-notes' } as const;

/** `--flag` for a field, for messages (the field name when it has no flag). */
export const flagOf = (field: string): string => `--${(FLAG_OF as Record<string, string>)[field] ?? field}`;

export interface PlanFlags {
  readonly values: Partial<Record<RequiredField | 'scaleNotes', string>>;
  readonly variation: string | undefined;
  readonly language: Language | undefined;
  readonly strategy: PlanStrategyName | undefined;
  /** The target API's OpenAPI/Swagger document (JSON or YAML file). */
  readonly spec: string | undefined;
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly workspace: string;
  readonly help: boolean;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

/** Parses `plan` flags strictly: an unknown or malformed flag is a usage error. */
export function parsePlanFlags(argv: readonly string[]): PlanFlags {
  const { values: v } = parseFlags({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      system: { type: 'string' },
      target: { type: 'string' },
      'use-case': { type: 'string' },
      'calls-per-second': { type: 'string' },
      'data-volume': { type: 'string' },
      'scale-notes': { type: 'string' },
      budget: { type: 'string' },
      variation: { type: 'string' },
      lang: { type: 'string' },
      strategy: { type: 'string' },
      spec: { type: 'string' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      workspace: { type: 'string', default: 'local' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    values: {
      existingSystem: v.system,
      targetApi: v.target,
      useCase: v['use-case'],
      callsPerSecond: v['calls-per-second'],
      dataVolume: v['data-volume'],
      budget: v.budget,
      scaleNotes: v['scale-notes'],
    },
    variation: oneOf('variation', v.variation, VARIATION_IDS),
    language: oneOf('lang', v.lang, LANGUAGES),
    strategy: oneOf('strategy', v.strategy, ['single', 'parallel'] as const),
    spec: v.spec,
    json: v.json,
    dryRun: v['dry-run'],
    workspace: v.workspace,
    help: v.help,
  };
}

export const PLAN_USAGE = `Usage: integration-planner plan [flags]

Project context (asked for in a terminal when missing):
  --system TEXT             existing system / tech stack
  --target TEXT             target API
  --use-case TEXT           what the integration must achieve
  --calls-per-second N      peak calls per second (e.g. 50 or 0.5)
  --data-volume TEXT        data volume, e.g. "2 GB/day"
  --budget TEXT             budget / timeframe
  --scale-notes TEXT        optional notes on scale
Options:
  --spec PATH|URL           the target API's OpenAPI or Swagger document (JSON or YAML, at most 10 MB;
                            URLs: https, public hosts): the plan uses its endpoints and is checked against it
  --variation ID            general | ecommerce | payments | legacy | realtime (default general)
  --lang de|en              output language (default PLAN_DEFAULT_LANGUAGE)
  --strategy single|parallel  generation strategy (default PLAN_STRATEGY)
  --json                    print one JSON object instead of Markdown
  --dry-run                 print the rendered prompts; calls no model, saves nothing
  --workspace ID            workspace to save the plan in (default local)
  -h, --help                this text
`;
