import { createInterface } from 'node:readline/promises';
import { InputError } from '../errors.ts';
import { fieldLabel, parsePlanRequest, type PlanRequest } from '../core/plan-request.ts';
import type { Language } from '../prompts/section-keys.ts';
import { UsageError, type CliIo } from './cli-io.ts';
import { FIELD_FLAGS, flagOf, type PlanFlags, type RequiredField } from './plan-flags.ts';

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/**
 * Turns flags into a validated PlanRequest. Missing or invalid fields are asked for when a
 * person is at the terminal; otherwise they are a usage error listing every field to fix.
 */
export async function collectPlanRequest(flags: PlanFlags, language: Language, io: CliIo): Promise<PlanRequest> {
  const values: Record<string, string | undefined> = { ...flags.values };
  const fields = Object.keys(FIELD_FLAGS) as RequiredField[];
  const missing = fields.filter((field) => isBlank(values[field]));
  if (!io.interactive && missing.length > 0) {
    throw new UsageError(
      `missing required flags: ${missing.map((field) => `${flagOf(field)} (${fieldLabel(field, 'en')})`).join(', ')}`,
    );
  }
  const rl = io.interactive ? createInterface({ input: io.stdin, output: io.stderr, terminal: true }) : undefined;
  try {
    for (const field of missing) values[field] = await rl?.question(`${fieldLabel(field, language)}: `);
    for (;;) {
      try {
        return parsePlanRequest({ ...values, variation: flags.variation ?? 'general', language }, language);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        if (rl === undefined) {
          throw new UsageError(error.issues.map((issue) => `${flagOf(issue.field)}: ${issue.message}`).join('\n'));
        }
        for (const issue of error.issues) {
          io.stderr.write(`${fieldLabel(issue.field, language)}: ${issue.message}\n`);
          values[issue.field] = await rl.question(`${fieldLabel(issue.field, language)}: `);
        }
      }
    }
  } finally {
    rl?.close();
  }
}
