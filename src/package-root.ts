import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, so `npm start` finds prompts/ and migrations/ from any working directory. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
