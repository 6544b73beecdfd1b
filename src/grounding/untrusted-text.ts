/**
 * Text from a spec (descriptions, summaries, names) is untrusted: it is shown to the model and
 * to users. Control characters and line breaks go (they could fake structure in a prompt's
 * data block), runs of whitespace collapse, and the text is clipped to `maxChars`.
 */
export function cleanText(value: unknown, maxChars: number): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex -- security: strip C0/C1 controls and bidi overrides
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ');
  const collapsed = flat.replace(/\s+/g, ' ').trim();
  return collapsed.length > maxChars ? `${collapsed.slice(0, Math.max(0, maxChars - 1)).trimEnd()}…` : collapsed;
}
