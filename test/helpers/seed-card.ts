import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface SeedSection {
  readonly title: string;
  readonly items: readonly string[];
}

/**
 * The seed prompt card's deliverables, read from the card itself (a copy of the original in
 * test/fixtures): `1. ARCHITEKTUR-ANALYSE:` lines with `- item` lines under them, and the
 * unnumbered `CODE-QUALITÄT:` block.
 */
export async function readSeedCard(): Promise<{ persona: string; sections: SeedSection[]; fields: string[] }> {
  const file = path.resolve(import.meta.dirname, '../fixtures/seed-prompt-card.md');
  const text = await readFile(file, 'utf8');
  const prompt = /```\n([\s\S]*?)```/u.exec(text)?.[1] ?? '';
  const lines = prompt.split('\n');
  const sections: { title: string; items: string[] }[] = [];
  const fields: string[] = [];
  let current: { title: string; items: string[] } | undefined;
  for (const line of lines) {
    const heading = /^(?:\d+\.\s+)?([A-ZÄÖÜ][A-ZÄÖÜ -]+):$/u.exec(line.trim());
    if (heading?.[1] !== undefined && !['LIEFERE', 'PROJEKT-KONTEXT'].includes(heading[1])) {
      current = { title: heading[1], items: [] };
      sections.push(current);
      continue;
    }
    if (heading !== null) {
      current = undefined;
      continue;
    }
    const item = /^\s*-\s+(.+)$/u.exec(line)?.[1];
    if (item === undefined) continue;
    if (current === undefined) fields.push(item.replace(/:.*$/u, ''));
    else current.items.push(item.trim());
  }
  return { persona: lines[0] ?? '', sections, fields };
}
