import path from 'node:path';
import { loadPromptLibrary, type PromptLibrary } from '../../src/prompts/load-prompts.ts';

/** The repository's root directory (package.json, prompts/, manifests/, Dockerfile). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

let loaded: Promise<PromptLibrary> | undefined;

/** The repository's prompts/, as the service loads them; loaded once per test file. */
export function loadTestPrompts(): Promise<PromptLibrary> {
  loaded ??= loadPromptLibrary(path.join(REPO_ROOT, 'prompts'));
  return loaded;
}
