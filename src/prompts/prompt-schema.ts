import { z } from 'zod';
import { LANGUAGES, SECTION_KEYS, VARIATION_IDS } from './section-keys.ts';

const nonBlank = z.string().trim().min(1);

const checklistItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
  label: nonBlank,
  match: z.array(nonBlank.transform((term) => term.toLowerCase())).min(1),
});

const sectionSchema = z.strictObject({
  key: z.enum(SECTION_KEYS),
  title: nonBlank,
  aliases: z.array(nonBlank).default([]),
  items: z.array(checklistItemSchema).min(1),
});

const modelDefaultsSchema = z.strictObject({
  model: nonBlank,
  maxTokens: z.number().int().positive(),
});

/** Front matter of prompts/integration-plan.<lang>.md. */
export const planPromptFrontMatterSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be semver, e.g. 1.0.0'),
    language: z.enum(LANGUAGES),
    title: nonBlank,
    defaults: z.strictObject({ anthropic: modelDefaultsSchema, openai: modelDefaultsSchema }),
    limits: z.strictObject({
      skeletonMaxTokens: z.number().int().positive(),
      sectionMaxTokens: z.number().int().positive(),
      followUpMaxTokens: z.number().int().positive(),
    }),
    sections: z.array(sectionSchema).length(SECTION_KEYS.length),
  })
  .superRefine((value, ctx) => {
    value.sections.forEach((section, index) => {
      if (section.key !== SECTION_KEYS[index]) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', index, 'key'],
          message: `expected "${SECTION_KEYS[index] ?? ''}" at position ${index + 1}`,
        });
      }
    });
  });

export type PlanPromptFrontMatter = z.infer<typeof planPromptFrontMatterSchema>;

/** Front matter of prompts/variations/<id>.<lang>.md. */
export const variationFrontMatterSchema = z.strictObject({
  id: z.enum(VARIATION_IDS),
  language: z.enum(LANGUAGES),
  label: nonBlank,
});

/** The named templates every plan prompt body must define, marked `<!-- template: name -->`. */
export const TEMPLATE_NAMES = [
  'system',
  'context',
  'single',
  'skeleton',
  'decisions',
  'section',
  'followup',
  'repair',
  'pick',
  'summary',
  'answer',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
