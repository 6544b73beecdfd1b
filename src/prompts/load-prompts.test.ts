import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { SECTION_KEYS } from './section-keys.ts';
import { loadPromptLibrary } from './load-prompts.ts';
import { readSeedCard } from '../../test/helpers/seed-card.ts';

const PROMPTS = path.resolve(import.meta.dirname, '../../prompts');

async function copyPrompts(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'prompts-'));
  await cp(PROMPTS, dir, { recursive: true });
  return dir;
}

async function editFile(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const edited = text.replace(from, to);
  expect(edited).not.toBe(text);
  await writeFile(file, edited);
}

async function loadError(dir: string): Promise<AppError> {
  const error: unknown = await loadPromptLibrary(dir).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('loadPromptLibrary', () => {
  it('loads both languages with the seven sections in order', async () => {
    const library = await loadPromptLibrary(PROMPTS);
    for (const language of ['de', 'en'] as const) {
      const prompt = library.plan(language);
      expect(prompt.language).toBe(language);
      expect(prompt.sections.map((section) => section.key)).toEqual([...SECTION_KEYS]);
      expect(prompt.sections.map((section) => section.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(prompt.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(library.variations(language).map((variation) => variation.id)).toEqual([
        'general',
        'ecommerce',
        'payments',
        'legacy',
        'realtime',
      ]);
    }
  });

  it('carries every section and checklist item of the seed card, word for word in German', async () => {
    const seed = await readSeedCard();
    expect(seed.sections).toHaveLength(7);
    expect(seed.sections.flatMap((section) => section.items)).toHaveLength(31);
    const german = (await loadPromptLibrary(PROMPTS)).plan('de');
    expect(german.sections).toHaveLength(seed.sections.length);
    seed.sections.forEach((seedSection, index) => {
      const section = german.sections[index];
      expect(section?.title.toUpperCase()).toBe(seedSection.title);
      expect(section?.items.map((item) => item.label)).toEqual(seedSection.items);
    });
  });

  it('gives the English prompt the same item ids as the German one', async () => {
    const library = await loadPromptLibrary(PROMPTS);
    const ids = (language: 'de' | 'en') =>
      library.plan(language).sections.map((section) => section.items.map((item) => item.id));
    expect(ids('en')).toEqual(ids('de'));
  });

  it('names the file and the field when front matter is invalid', async () => {
    const dir = await copyPrompts();
    const file = path.join(dir, 'integration-plan.en.md');
    await editFile(file, /^version: .*$/mu, 'version: one');
    const error = await loadError(dir);
    expect(error.code).toBe('PROMPT_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toContain('version: must be semver');
  });

  it('names the position of a section out of order', async () => {
    const dir = await copyPrompts();
    await editFile(path.join(dir, 'integration-plan.de.md'), '  - key: security', '  - key: deployment');
    const error = await loadError(dir);
    expect(error.message).toContain('sections.2.key: expected "security" at position 3');
  });

  it('rejects a missing template, a broken template and invalid YAML', async () => {
    const missing = await copyPrompts();
    await editFile(path.join(missing, 'integration-plan.en.md'), '<!-- template: followup -->', '');
    expect((await loadError(missing)).message).toContain('missing template(s): followup');

    const broken = await copyPrompts();
    await editFile(path.join(broken, 'integration-plan.en.md'), '{{/each}}', '');
    expect((await loadError(broken)).message).toMatch(/template "\w+" does not compile/);

    const yaml = await copyPrompts();
    const variation = path.join(yaml, 'variations', 'payments.de.md');
    await editFile(variation, 'language: de', 'language: [de');
    const error = await loadError(yaml);
    expect(error.message).toContain(variation);
    expect(error.message).toContain('front matter is not valid YAML');
  });

  it('rejects a variation whose id does not match its file name', async () => {
    const dir = await copyPrompts();
    await editFile(path.join(dir, 'variations', 'legacy.en.md'), 'id: legacy', 'id: realtime');
    expect((await loadError(dir)).message).toContain('do not match the file name');
  });
});
