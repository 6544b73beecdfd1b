import { z } from 'zod';
import { InputError, type FieldIssue } from '../errors.ts';
import { LANGUAGES, VARIATION_IDS, type Language } from '../prompts/section-keys.ts';

/** Length limits per field; the Slack modal and the Teams card use the same numbers. */
export const FIELD_LIMITS = {
  existingSystem: 3000,
  targetApi: 300,
  useCase: 3000,
  dataVolume: 200,
  scaleNotes: 1000,
  budget: 500,
} as const;

export const MAX_CALLS_PER_SECOND = 1_000_000;

export type TextField = keyof typeof FIELD_LIMITS;
export type PlanField = TextField | 'callsPerSecond' | 'variation' | 'language';

const requiredText = (max: number) => z.string().trim().min(1).max(max);

export const planRequestSchema = z.strictObject({
  existingSystem: requiredText(FIELD_LIMITS.existingSystem),
  targetApi: requiredText(FIELD_LIMITS.targetApi),
  useCase: requiredText(FIELD_LIMITS.useCase),
  callsPerSecond: z.coerce.number().positive().max(MAX_CALLS_PER_SECOND),
  dataVolume: requiredText(FIELD_LIMITS.dataVolume),
  scaleNotes: z
    .string()
    .trim()
    .max(FIELD_LIMITS.scaleNotes)
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
  budget: requiredText(FIELD_LIMITS.budget),
  variation: z.enum(VARIATION_IDS).default('general'),
  language: z.enum(LANGUAGES),
});

/** A validated request for one integration plan: the seed's five context fields and options. */
export type PlanRequest = z.infer<typeof planRequestSchema>;

export const FIELD_LABELS: Record<Language, Record<PlanField, string>> = {
  en: {
    existingSystem: 'Existing system / tech stack',
    targetApi: 'Target API',
    useCase: 'Use case',
    callsPerSecond: 'Peak calls per second',
    dataVolume: 'Data volume',
    scaleNotes: 'Scale notes',
    budget: 'Budget / timeframe',
    variation: 'Variation',
    language: 'Output language',
  },
  de: {
    existingSystem: 'Bestehendes System / Tech-Stack',
    targetApi: 'Ziel-API',
    useCase: 'Use Case',
    callsPerSecond: 'Aufrufe pro Sekunde (Spitze)',
    dataVolume: 'Datenvolumen',
    scaleNotes: 'Hinweise zur Skalierung',
    budget: 'Budget / Zeitrahmen',
    variation: 'Variation',
    language: 'Ausgabesprache',
  },
};

const MESSAGES = {
  en: {
    required: 'Please fill this in.',
    tooLong: (max: number, actual: number) => `At most ${max} characters, this has ${actual}.`,
    notNumber: 'Enter a number, e.g. 50 or 0.5.',
    notPositive: 'Enter a number greater than 0.',
    tooLarge: (max: number) => `At most ${max.toLocaleString('en')} calls per second.`,
    choice: (options: readonly string[]) => `Choose one of: ${options.join(', ')}.`,
    unknown: 'This field is not part of a plan.',
  },
  de: {
    required: 'Bitte ausfüllen.',
    tooLong: (max: number, actual: number) => `Höchstens ${max} Zeichen, hier sind es ${actual}.`,
    notNumber: 'Bitte eine Zahl eingeben, z. B. 50 oder 0,5.',
    notPositive: 'Bitte eine Zahl größer als 0 eingeben.',
    tooLarge: (max: number) => `Höchstens ${max.toLocaleString('de')} Aufrufe pro Sekunde.`,
    choice: (options: readonly string[]) => `Bitte eines wählen: ${options.join(', ')}.`,
    unknown: 'Dieses Feld gehört nicht zu einem Plan.',
  },
} as const;

function issueMessage(
  issue: z.core.$ZodIssue,
  field: string,
  raw: Record<string, unknown>,
  language: Language,
): string {
  const text = MESSAGES[language];
  switch (issue.code) {
    case 'too_small':
      return field === 'callsPerSecond' ? text.notPositive : text.required;
    case 'too_big': {
      if (field === 'callsPerSecond') return text.tooLarge(MAX_CALLS_PER_SECOND);
      const value = raw[field];
      return text.tooLong(Number(issue.maximum), typeof value === 'string' ? value.trim().length : 0);
    }
    case 'invalid_value':
      return text.choice(issue.values.map(String));
    case 'unrecognized_keys':
      return text.unknown;
    default:
      return field === 'callsPerSecond' ? text.notNumber : text.required;
  }
}

/** Accepts "1.5", "1,5" and "1 000" for calls per second, as people type them. */
function normaliseNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const compact = value.trim().replace(/[\s_']/gu, '');
  if (compact === '') return Number.NaN;
  return /^\d+,\d+$/u.test(compact) ? compact.replace(',', '.') : compact;
}

/**
 * Validates raw form values into a PlanRequest. Throws an InputError whose issues name the
 * field and say, in the user's language, what to change.
 */
export function parsePlanRequest(raw: Record<string, unknown>, language: Language): PlanRequest {
  const input = { ...raw, callsPerSecond: normaliseNumber(raw.callsPerSecond) };
  const result = planRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    const fields = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? 'request')];
    for (const field of fields) {
      if (issues.some((existing) => existing.field === field)) continue;
      issues.push({ field, message: issueMessage(issue, field, raw, language) });
    }
  }
  throw new InputError(issues);
}

/** The label of a field in the user's language, for messages that name it. */
export function fieldLabel(field: string, language: Language): string {
  return (FIELD_LABELS[language] as Record<string, string | undefined>)[field] ?? field;
}
