import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import Handlebars from 'handlebars';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { LANGUAGES, VARIATION_IDS, type Language, type SectionDefinition, type VariationId } from './section-keys.ts';
import { renderDataBlock } from './data-block.ts';
import type { PromptContext } from './prompt-context.ts';
import {
  TEMPLATE_NAMES,
  planPromptFrontMatterSchema,
  variationFrontMatterSchema,
  type PlanPromptFrontMatter,
  type TemplateName,
} from './prompt-schema.ts';

/** A plan prompt in one language: validated front matter plus compiled templates. */
export interface PlanPrompt {
  readonly id: string;
  readonly version: string;
  readonly language: Language;
  readonly title: string;
  /** sha256 of the prompt file and this language's variation files, to tie a plan to its prompt. */
  readonly hash: string;
  readonly defaults: PlanPromptFrontMatter['defaults'];
  readonly limits: PlanPromptFrontMatter['limits'];
  readonly sections: readonly SectionDefinition[];
  render(template: TemplateName, context: PromptContext): string;
}

export interface Variation {
  readonly id: VariationId;
  readonly language: Language;
  readonly label: string;
  /** Extra guidance for the model; empty for `general`. */
  readonly guidance: string;
}

export interface PromptLibrary {
  plan(language: Language): PlanPrompt;
  variation(id: VariationId, language: Language): Variation;
  variations(language: Language): readonly Variation[];
}

const TEMPLATE_MARKER = /^<!--\s*template:\s*([a-z]+)\s*-->\s*$/gmu;

function promptError(file: string, detail: string): AppError {
  return new AppError('PROMPT_INVALID', `Prompt file ${file} is invalid: ${detail}`);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(front matter)'}: ${issue.message}`)
    .join('; ');
}

async function readPromptFile(file: string): Promise<{ data: unknown; body: string; raw: string }> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('PROMPT_INVALID', `Prompt file ${file} cannot be read`, { cause: error });
  }
  try {
    const parsed = matter(raw);
    return { data: parsed.data, body: parsed.content, raw };
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw promptError(file, `front matter is not valid YAML (${reason})`);
  }
}

/** Splits a body at `<!-- template: name -->` markers; every known template must occur once. */
function splitTemplates(file: string, body: string): Map<TemplateName, string> {
  const markers = [...body.matchAll(TEMPLATE_MARKER)];
  const templates = new Map<TemplateName, string>();
  markers.forEach((marker, index) => {
    const name = marker[1] ?? '';
    if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) {
      throw promptError(file, `unknown template "${name}" (known: ${TEMPLATE_NAMES.join(', ')})`);
    }
    if (templates.has(name as TemplateName)) throw promptError(file, `template "${name}" is defined twice`);
    const start = marker.index + marker[0].length;
    const end = markers[index + 1]?.index ?? body.length;
    templates.set(name as TemplateName, body.slice(start, end).trim());
  });
  const missing = TEMPLATE_NAMES.filter((name) => !templates.has(name));
  if (missing.length > 0) throw promptError(file, `missing template(s): ${missing.join(', ')}`);
  return templates;
}

function createHandlebars(): typeof Handlebars {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('data', (name: unknown, value: unknown) => {
    if (typeof name !== 'string') throw new Error('data helper: the block name must be a string');
    return renderDataBlock(name, typeof value === 'string' ? value : '');
  });
  return handlebars;
}

function compileTemplates(
  file: string,
  templates: Map<TemplateName, string>,
): Map<TemplateName, Handlebars.TemplateDelegate<PromptContext>> {
  const handlebars = createHandlebars();
  const compiled = new Map<TemplateName, Handlebars.TemplateDelegate<PromptContext>>();
  for (const [name, source] of templates) {
    try {
      // noEscape: prompts are plain text, and HTML entities would only confuse the model.
      const template = handlebars.compile<PromptContext>(source, { noEscape: true });
      // Handlebars compiles lazily; parse now so a broken template fails at start-up.
      handlebars.parse(source);
      compiled.set(name, template);
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      throw promptError(file, `template "${name}" does not compile (${reason})`);
    }
  }
  return compiled;
}

/** Front matter checked against `schema`; PROMPT_INVALID names every field that is wrong. */
function validFrontMatter<T>(file: string, data: unknown, schema: z.ZodType<T>): T {
  const result = schema.safeParse(data);
  if (!result.success) throw promptError(file, describeIssues(result.error));
  return result.data;
}

async function loadPlanPrompt(directory: string, language: Language, variationRaw: string): Promise<PlanPrompt> {
  const file = path.join(directory, `integration-plan.${language}.md`);
  const { data, body, raw } = await readPromptFile(file);
  const frontMatter = validFrontMatter(file, data, planPromptFrontMatterSchema);
  if (frontMatter.language !== language) {
    throw promptError(file, `language: says "${frontMatter.language}" but the file name says "${language}"`);
  }
  const templates = compileTemplates(file, splitTemplates(file, body));
  return {
    id: frontMatter.id,
    version: frontMatter.version,
    language,
    title: frontMatter.title,
    hash: createHash('sha256').update(raw).update(variationRaw).digest('hex'),
    defaults: frontMatter.defaults,
    limits: frontMatter.limits,
    sections: frontMatter.sections.map((section, index): SectionDefinition => ({ ...section, number: index + 1 })),
    render(name, context) {
      const template = templates.get(name);
      if (template === undefined) throw new Error(`template "${name}" is not loaded`);
      return template(context).trim();
    },
  };
}

async function loadVariation(
  directory: string,
  id: VariationId,
  language: Language,
): Promise<Variation & { raw: string }> {
  const file = path.join(directory, 'variations', `${id}.${language}.md`);
  const { data, body, raw } = await readPromptFile(file);
  const frontMatter = validFrontMatter(file, data, variationFrontMatterSchema);
  if (frontMatter.id !== id || frontMatter.language !== language) {
    throw promptError(file, `id/language (${frontMatter.id}.${frontMatter.language}) do not match the file name`);
  }
  return { id, language, label: frontMatter.label, guidance: body.trim(), raw };
}

/**
 * Loads and validates every prompt file once (at start-up); a broken file throws an AppError
 * (`PROMPT_INVALID`) naming the file and the field.
 */
export async function loadPromptLibrary(directory: string): Promise<PromptLibrary> {
  const plans = new Map<Language, PlanPrompt>();
  const variations = new Map<string, Variation>();
  for (const language of LANGUAGES) {
    const loaded = await Promise.all(VARIATION_IDS.map((id) => loadVariation(directory, id, language)));
    for (const variation of loaded) variations.set(`${variation.id}.${language}`, variation);
    plans.set(language, await loadPlanPrompt(directory, language, loaded.map((v) => v.raw).join('\n')));
  }
  const variationOf = (id: VariationId, language: Language): Variation => {
    const variation = variations.get(`${id}.${language}`);
    if (variation === undefined) throw new Error(`no variation ${id}.${language}`);
    return variation;
  };
  return {
    plan(language) {
      const prompt = plans.get(language);
      if (prompt === undefined) throw new Error(`no prompt for language ${language}`);
      return prompt;
    },
    variation: variationOf,
    variations: (language) => VARIATION_IDS.map((id) => variationOf(id, language)),
  };
}
