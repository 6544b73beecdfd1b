/**
 * User text enters a prompt only inside `<data name="…">` blocks. Security: anything in the
 * text that could open or close such a block is removed first, so a field cannot end its block
 * early and pose as instructions (prompt-injection containment). Control characters other than
 * newline and tab go too.
 */
const DELIMITER = /<\s*\/?\s*data\b[^>]*>?/giu;
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/gu;

export function sanitizeDataText(text: string): string {
  let previous: string;
  let current = text.replace(CONTROL, '');
  // Repeat until stable: removing one delimiter must not assemble another one.
  do {
    previous = current;
    current = current.replace(DELIMITER, '');
  } while (current !== previous);
  return current.trim();
}

export function renderDataBlock(name: string, text: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`invalid data block name "${name}"`);
  return `<data name="${name}">\n${sanitizeDataText(text)}\n</data>`;
}
